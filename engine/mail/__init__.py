"""Mail: the e-mails the shop sends, as Magento_Email sends them.

A `Message` is built from one of Magento's templates (`templates.py`: the welcome e-mail, the
password reset link, the contact form) rendered for one store view, from one of the store's
senders (`identities.py`, Magento's "Store Email Addresses"). The `Mailer` hands it to the
transport the process was configured with (`transports.py`, by URL): an SMTP server
(aiosmtplib), or a folder "mailbox" of `.eml` files, the default, so a developer reads what was
sent without any server.

Sending happens after the transaction that decided it committed, never inside it: an account is
created even when the SMTP server is down (the failure is logged and counted in
`mageseg_mail_messages{outcome="failed"}`); callers that must tell the shopper (Magento's
`requestPasswordResetEmail` answers false, `contactUs` refuses) read `Mailer.send`'s result."""
