"""Overdue notices by e-mail through the library's SMTP server (plain text, in the
member's language). No Session here: the caller reads before and records after."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from mediatheque.errors import MailFailed, ReportCancelled
from mediatheque.i18n import language
from mediatheque.reports import texts
from mediatheque.reports.notice_settings import NoticeSettings
from mediatheque.reports.notices import Notice
from mediatheque.settings import LibrarySettings


@dataclass(frozen=True)
class MailResult:
    sent: tuple[Notice, ...]
    failed: tuple[tuple[Notice, str], ...]  # (notice, reason code)


def build_message(
    notice: Notice, *, library: LibrarySettings, settings: NoticeSettings, today: date
) -> EmailMessage:
    member = notice.member
    with language(member.language):
        lines = [texts.long_date(today), "", texts.greeting(member.name), ""]
        body = settings.text(member.language) or texts.default_text(notice.level)
        lines.extend([body.strip(), ""])
        for loan in member.loans:
            due = texts.short_date(loan.due_on)
            late = texts.days_late_text(loan.days_late)
            lines.append(f"- {loan.title} ({loan.copy_barcode}) — {due}, {late}")
        lines.extend(["", texts.card_line(member.barcode), "", texts.closing(), ""])
        lines.append(settings.signature or library.name)
        if settings.letterhead:
            lines.extend(["", settings.letterhead])
        title = texts.subject(notice.level, library.short_name or library.name)
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = formataddr((library.name, settings.smtp_from))
    message["To"] = formataddr((member.name, member.email or ""))
    domain = settings.smtp_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content("\n".join(lines))
    return message


def _connect(settings: NoticeSettings) -> smtplib.SMTP:
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout
    try:
        client: smtplib.SMTP
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
    except smtplib.SMTPAuthenticationError as error:
        raise MailFailed(host=host, reason="auth", detail=str(error.smtp_code)) from error
    except smtplib.SMTPNotSupportedError as error:
        raise MailFailed(host=host, reason="tls", detail=str(error)) from error
    except TimeoutError as error:
        raise MailFailed(host=host, reason="timeout") from error
    except ssl.SSLError as error:
        raise MailFailed(host=host, reason="tls", detail=str(error)) from error
    except (smtplib.SMTPException, OSError) as error:
        # smtplib reports a server that stays silent as a disconnection caused by a timeout.
        reason = "timeout" if isinstance(error.__context__, TimeoutError) else "refused"
        raise MailFailed(host=host, reason=reason, detail=str(error)) from error
    return client


def send_notice_emails(  # noqa: PLR0912 (one branch per way a server fails)
    notices: Sequence[Notice],
    *,
    library: LibrarySettings,
    settings: NoticeSettings,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MailResult:
    """Sends each notice by e-mail. A server that cannot be reached raises MailFailed before
    anything is sent; a message refused, or a connection lost on the way, marks that
    notice (and those after a lost connection) failed. Only `sent` may be recorded."""
    if not notices:
        return MailResult(sent=(), failed=())
    client = _connect(settings)
    sent: list[Notice] = []
    failed: list[tuple[Notice, str]] = []
    broken = ""
    try:
        for index, notice in enumerate(notices):
            if cancelled is not None and cancelled():
                if not sent:
                    raise ReportCancelled(done=0, total=len(notices))
                failed.extend((rest, "cancelled") for rest in notices[index:])
                break
            if broken:
                failed.append((notice, broken))
                continue
            message = build_message(notice, library=library, settings=settings, today=today)
            try:
                client.send_message(message)
            except smtplib.SMTPRecipientsRefused:
                failed.append((notice, "recipient_refused"))
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
                failed.append((notice, "refused"))
            except TimeoutError:
                broken = "timeout"
                failed.append((notice, broken))
            except (smtplib.SMTPException, OSError):
                broken = "disconnected"
                failed.append((notice, broken))
            else:
                sent.append(notice)
            if progress is not None:
                progress(index + 1, len(notices))
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
    return MailResult(sent=tuple(sent), failed=tuple(failed))
