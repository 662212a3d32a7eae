import { connect, type Socket } from 'node:net';

// A load generator has to cost far less CPU than the server it measures, or on a small machine
// the two share the cores and a ratio between two servers mostly measures the client. Node's
// http client spends about 80 µs of CPU per request here; this one writes prebuilt request bytes
// on a keep-alive socket and reads back only the status line and Content-Length (about 30 µs).

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** One keep-alive HTTP/1.1 connection with one request in flight at a time. */
export class LeanConnection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<LeanConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new LeanConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends `head` (request line and headers, ending in a blank line) and `body`; resolves to the status. */
  send(head: string, body: Buffer): Promise<number> {
    if (this.waiting !== null) return Promise.reject(new Error('one request at a time per connection'));
    // A write after the server closed the socket would never settle.
    if (this.socket.destroyed) return Promise.reject(new Error('the connection is closed'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    });
  }

  close(): void {
    this.fail(new Error('the connection was closed by the client'));
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    // Only what the servers under test send: a Content-Length body, never chunked.
    if (/\r\ntransfer-encoding:/i.test(head)) {
      this.fail(new Error('chunked responses are not supported by the lean client'));
      this.socket.destroy();
      return;
    }
    const length = Number(CONTENT_LENGTH.exec(head)?.[1] ?? 0);
    const total = headerEnd + HEADER_END.length + length;
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = null;
    // "HTTP/1.1 202 Accepted": the status is the second word.
    waiting?.resolve(Number(head.slice(9, 12)));
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }
}
