import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decodeSession } from './redis-store.js';
import type { Session } from '../dialogue/session.js';
import type { SessionLog } from './redis-client.js';

const PEER_PREFIX = 'yb:peer:';
const SECRET_KEY = 'yb:peer-secret';

export interface PeerDirectoryOptions {
  client: Redis;
  log: SessionLog;
  /** How often this instance re-announces itself and re-reads the others while Redis answers. */
  refreshMs?: number;
  /** How long one peer may take to hand over its copy of a session during an outage (a peer that does not answer is left alone for 5 s). */
  askTimeoutMs?: number;
}

/**
 * The other instances of the service, learnt through Redis while it answers, so that while it
 * does not they can still see each other's turns. Each instance announces the URL it listens on
 * (`yb:peer:<id>`, with a TTL) and reads the others'; a secret shared through Redis (set once by
 * whichever instance comes first) lets only them ask. During an outage an instance asks its peers
 * for their in-memory copy of a session before answering a turn, so a conversation alternating
 * between instances keeps its turns and their numbering. Both the list and the secret are kept in
 * memory: they are what is needed when Redis is gone.
 */
export class PeerDirectory {
  private readonly id = randomBytes(8).toString('hex');
  private selfUrl: string | undefined;
  private peers: string[] = [];
  private secret: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Peers that did not answer, and until when they are not asked again. */
  private readonly quietUntil = new Map<string, number>();

  constructor(private readonly options: PeerDirectoryOptions) {}

  /** Starts announcing `url` (the address this instance listens on) and learning the others. */
  async start(url: string): Promise<void> {
    this.selfUrl = url.replace(/\/$/, '');
    await this.refresh();
    const every = this.options.refreshMs ?? 2000;
    this.timer = setInterval(() => void this.refresh(), every);
    this.timer.unref();
  }

  /** The shared secret peers present, once learnt. */
  get token(): string | undefined {
    return this.secret;
  }

  /** Constant-time check of a presented token. */
  accepts(presented: string | undefined): boolean {
    if (!this.secret || !presented || presented.length !== this.secret.length) return false;
    let diff = 0;
    for (let i = 0; i < presented.length; i++) diff |= presented.charCodeAt(i) ^ this.secret.charCodeAt(i);
    return diff === 0;
  }

  /** Every peer's in-memory copy of a session (those that answer in time). */
  async copiesOf(sessionId: string): Promise<Session[]> {
    const secret = this.secret;
    if (!secret || this.peers.length === 0) return [];
    const timeout = this.options.askTimeoutMs ?? 1000;
    const now = Date.now();
    const asked = this.peers.filter((peer) => (this.quietUntil.get(peer) ?? 0) <= now);
    const copies = await Promise.all(
      asked.map(async (peer) => {
        try {
          const res = await fetch(`${peer}/internal/sessions/${encodeURIComponent(sessionId)}`, {
            headers: { authorization: `Bearer ${secret}` },
            signal: AbortSignal.timeout(timeout),
          });
          return res.status === 200 ? decodeSession(await res.text()) : undefined;
        } catch {
          // Down or too slow: do not make every turn wait for it.
          this.quietUntil.set(peer, Date.now() + 5000);
          return undefined;
        }
      }),
    );
    return copies.filter((s): s is Session => s !== undefined);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.selfUrl) await this.options.client.del(PEER_PREFIX + this.id).catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    const client = this.options.client;
    if (client.status !== 'ready' || !this.selfUrl) return;
    try {
      const ttl = Math.ceil(((this.options.refreshMs ?? 2000) * 5) / 1000);
      await client.set(PEER_PREFIX + this.id, this.selfUrl, 'EX', ttl);
      await client.set(SECRET_KEY, randomBytes(24).toString('hex'), 'NX');
      this.secret = (await client.get(SECRET_KEY)) ?? this.secret;
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await client.scan(cursor, 'MATCH', `${PEER_PREFIX}*`, 'COUNT', 100);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0' && keys.length < 1000);
      const urls = keys.length ? await client.mget(...keys) : [];
      this.peers = [...new Set(urls.filter((u): u is string => Boolean(u) && u !== this.selfUrl))];
    } catch (err) {
      // Redis went away mid-refresh: keep what was learnt.
      this.options.log.warn({ err: { message: (err as Error).message } }, 'peer list not refreshed');
    }
  }
}
