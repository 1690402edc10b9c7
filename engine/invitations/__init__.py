"""Invitations: a customer (or an admin) invites people by e-mail to create an account, as
Adobe Commerce's `Magento_Invitation` does.

- `codes`: the invitation code `id:protection_code` and the URL it travels in.
- `settings`: the `magento_invitation/*` settings of a store view.
- `lifecycle`: creating, sending, resending, canceling and accepting, with Magento's statuses
  (new, sent, accepted, canceled), guards and messages.
- `queries`: a customer's invitations, the admin list and the conversion report by group.
- `email`: the invitation e-mail (template `magento_invitation_email_template`).

Adobe has no GraphQL or REST for invitations: the root fields in `resolvers/invitations.py` are
mageseg's own, in Magento's style."""
