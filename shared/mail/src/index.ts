export { createMailer, type Mail, type MailAttachment, type Mailer } from './mailer.ts';
