"""Order documents: invoices, credit memos (refunds) and shipments of an order, as Magento's
Sales module keeps them (`Order\\Invoice`, `Order\\Creditmemo`, `Order\\Shipment` and their
`Total` collectors), and the order state machine they drive
(`ResourceModel\\Order\\Handler\\State`).

- `rules.py`: what an order still allows (`canInvoice`, `canShip`, `canCreditmemo`, the
  quantities left per item) and the state it moves to after a document. Pure.
- `totals.py`: the arithmetic of a document's lines and totals. Pure.
- `invoices.py`, `shipments.py`, `creditmemos.py`: the admin's writes, one transaction each.
- `give_back.py`: what a refund gives back besides money (coupon uses; the place where store
  credit and reward points join).
- `read.py`: the documents of a page of orders, for the storefront."""
