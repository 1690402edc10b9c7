"""GraphQL types, inputs and schema assembly (strawberry). Magento's names, snake_case fields."""
