/**
 * The local Direct Line is a development tool: it has no real authentication of the bot side,
 * so it must only ever answer callers on this machine.
 */
import type { Request, Response } from 'restify';
import { isIP } from 'node:net';
import { sendError } from './http.js';

/**
 * True when `address` (as in `socket.remoteAddress`) is a loopback address: 127.0.0.0/8, `::1`,
 * or an IPv4-mapped loopback (`::ffff:127.x.x.x`). Anything else, including unparsable input,
 * is false. Deliberately ignores `X-Forwarded-For`: a proxy in front would make every caller
 * look local, and any client can write that header.
 */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const v4 = mapped ? mapped[1] : address;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  if (isIP(address) === 6) return /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(address.toLowerCase());
  return false;
}

/**
 * Answers 403 and returns false when the request does not come from this machine.
 * Use at the top of every local-only route.
 */
export function requireLoopback(req: Request, res: Response): boolean {
  if (isLoopbackAddress(req.socket?.remoteAddress)) return true;
  sendError(
    res,
    403,
    'Forbidden',
    'The local Direct Line only answers requests from 127.0.0.1. In production set DIRECT_LINE_SECRET ' +
      'and use Azure Bot Service Direct Line instead.',
  );
  return false;
}
