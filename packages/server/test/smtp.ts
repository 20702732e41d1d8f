import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An email the test SMTP server received, one per envelope recipient. */
export interface Received {
  to: string;
  subject: string;
  text: string;
}

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  port: number;
  /** Everything received so far, in order. */
  messages: Received[];
  /**
   * The next message to `to` that no earlier call returned (one already received counts): resolves
   * as soon as it arrives, rejects after `timeoutMs` (default 5 s).
   */
  waitForMessage(to: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

/** Undo quoted-printable (RFC 2045 §6.7): soft line breaks and `=XX` octets. */
function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const text = body.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decode RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** Split a single-part message into headers and a decoded text body. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  // Unfold continuation lines (RFC 5322 §2.2.3) before reading fields.
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { subject: decodeHeader(headers.get('subject') ?? ''), text: decoded.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

/**
 * An in-process SMTP server on loopback (no TLS, no auth) that keeps what it receives, so tests
 * read the emails Gatehouse really sent. `port` picks one (default: any free port).
 */
export async function startTestSmtp(options: { port?: number } = {}): Promise<TestSmtp> {
  const messages: Received[] = [];
  const returned = new Set<Received>();
  const waiters: { to: string; resolve: (m: Received) => void }[] = [];

  const take = (to: string): Received | undefined => {
    const found = messages.find((m) => m.to === to && !returned.has(m));
    if (found) returned.add(found);
    return found;
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const { subject, text } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        for (const rcpt of session.envelope.rcptTo) {
          messages.push({ to: rcpt.address.toLowerCase(), subject, text });
        }
        // Hand new messages to whoever waits for them, oldest waiter first.
        for (const waiter of [...waiters]) {
          const message = take(waiter.to);
          if (message) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
        callback();
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitForMessage(to, timeoutMs = 5000) {
      const address = to.toLowerCase();
      const ready = take(address);
      if (ready) return Promise.resolve(ready);
      return new Promise<Received>((resolve, reject) => {
        const waiter = {
          to: address,
          resolve: (m: Received) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`No email to ${to} within ${timeoutMs} ms (received: ${messages.map((m) => m.to).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
