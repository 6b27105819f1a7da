// Console policy: who may get a console URL (describeInstanceVncUrl), what a token is worth (single
// use, bound to account and instance, expiring), how many sessions may run at once, and the action
// log entry of every session. The WebSocket plumbing lives in http/console/; this module opens the
// host stream only after the token has been consumed and the limits checked.
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Errors, ID_PATTERNS } from '@kumo/contract';
import { rfbServerSecurity } from '@kumo/hypervisor';
import type {
  ConsoleKind,
  ConsoleTokensModel,
  InstanceActionsModel,
  InstanceRecord,
  InstancesModel,
  Scope,
} from '@kumo/store';
import type { HostAccess } from '../compute/host-registry.js';
import type { ConsoleConfig } from '../config.js';

/** The most of a serial console log one read returns. */
export const CONSOLE_LOG_MAX_BYTES = 64 * 1024;

/** A token is 32 random bytes in base64url: 43 characters. Anything else is refused unread. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Why a session was refused, as the HTTP status the upgrade is answered with. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly httpStatus: 400 | 403 | 409 | 429 | 502,
    message: string,
  ) {
    super(message);
  }
}

/** An open console session: the host stream, and what to call when it ends. */
export interface ConsoleSession {
  kind: ConsoleKind;
  instanceId: string;
  accountId: string;
  stream: Duplex;
  /**
   * Takes the browser through RFB's version and security phase (a VNC session: the guest's side
   * is already past it), so the two streams can be piped from ClientInit on; a serial session
   * needs none.
   */
  greet(browser: Duplex): Promise<void>;
  /** Ends the session's bookkeeping (limits, action log); idempotent. */
  end(reason: string): Promise<void>;
}

/** What the service needs. */
export interface ConsoleDeps {
  tokens: ConsoleTokensModel;
  instances: InstancesModel;
  actions: InstanceActionsModel;
  hosts: HostAccess;
  config: ConsoleConfig;
  /** The VNC password of an instance (used where VNC listens on an address, see designer). */
  vncPassword(instanceId: string): string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Console URLs and sessions. */
export class ConsoleService {
  private readonly perInstance = new Map<string, number>();
  private readonly perAccount = new Map<string, number>();

  constructor(private readonly deps: ConsoleDeps) {}

  /** The clock tokens are judged by (the test offset moves it forward). */
  now(): Date {
    return new Date(Date.now() + this.deps.config.clockOffsetSeconds * 1000);
  }

  /**
   * describeInstanceVncUrl: a console URL for a running instance of the account. The token travels
   * in the URL's fragment, which browsers never send: it reaches kumod only on the WebSocket.
   */
  async vncUrl(scope: Scope, requestedBy: string, id: string): Promise<string> {
    const token = await this.issue(scope, requestedBy, id, 'vnc');
    return `${this.deps.config.baseUrl}/console/vnc#token=${token}`;
  }

  /**
   * The WebSocket URL of a running instance's serial console (for `kumo instance console`), with a
   * token like a VNC URL's: single use, bound to the account and instance, expiring.
   */
  async serialUrl(scope: Scope, requestedBy: string, id: string): Promise<string> {
    const token = await this.issue(scope, requestedBy, id, 'serial');
    return `${this.deps.config.baseUrl.replace(/^http/, 'ws')}/console/serial?token=${token}`;
  }

  /**
   * The tail of an instance's serial console log (running or stopped; it survives reboots): the
   * account's own instance, or any instance for the admin read (scope undefined).
   */
  async readLog(scope: Scope | undefined, id: string): Promise<{ output: string; truncated: boolean }> {
    const inst = scope ? await this.owned(scope, id) : await this.deps.instances.get(id);
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    if (!inst.hostId) throw Errors.invalidInstanceStatus(inst.status);
    try {
      const log = await this.deps.hosts.with(inst.hostId, (h) => h.readConsoleLog(id, CONSOLE_LOG_MAX_BYTES));
      return { output: log.output.toString('utf8'), truncated: log.truncated };
    } catch (err) {
      throw Errors.consoleUnavailable((err as Error).message.slice(0, 200));
    }
  }

  private async owned(scope: Scope, id: string): Promise<InstanceRecord> {
    const inst = ID_PATTERNS.instance.test(id) ? await this.deps.instances.find(scope, id) : undefined;
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    return inst;
  }

  private async issue(scope: Scope, requestedBy: string, id: string, kind: ConsoleKind): Promise<string> {
    const inst = await this.owned(scope, id);
    if (inst.status !== 'running' || !inst.hostId) throw Errors.invalidInstanceStatus(inst.status);
    const token = randomBytes(32).toString('base64url');
    await this.deps.tokens.issue({
      tokenSha256: sha256(token),
      kind,
      accountId: scope.accountId,
      instanceId: id,
      requestedBy,
      expiresAt: new Date(this.now().getTime() + this.deps.config.tokenTtlSeconds * 1000),
    });
    return token;
  }

  /** Deletes tokens that expired a day ago or more (kept a while for the record); returns how many. */
  sweep(): Promise<number> {
    return this.deps.tokens.sweep(new Date(this.now().getTime() - 86_400_000));
  }

  /**
   * Consumes a token and opens the instance's VNC stream. The token is spent before anything else
   * (a refused or failed session still used it); no host connection is opened for a bad token.
   */
  async open(kind: ConsoleKind, token: string, from: string): Promise<ConsoleSession> {
    if (!TOKEN.test(token)) throw new ConsoleRefusal(403, 'invalid token');
    const grant = await this.deps.tokens.consume(sha256(token), kind, this.now(), from);
    if (!grant) throw new ConsoleRefusal(403, 'invalid token');
    const { instanceId, accountId } = grant;
    if ((this.perInstance.get(instanceId) ?? 0) >= this.deps.config.maxSessionsPerInstance)
      throw new ConsoleRefusal(429, 'too many console sessions for this instance');
    if ((this.perAccount.get(accountId) ?? 0) >= this.deps.config.maxSessionsPerAccount)
      throw new ConsoleRefusal(429, 'too many console sessions for this account');
    const inst = await this.deps.instances.get(instanceId);
    if (!inst || inst.status !== 'running' || !inst.hostId)
      throw new ConsoleRefusal(409, 'the instance is not running');
    const hostId = inst.hostId;
    bump(this.perInstance, instanceId, 1);
    bump(this.perAccount, accountId, 1);
    let ended = false;
    const release = () => {
      if (ended) return false;
      ended = true;
      bump(this.perInstance, instanceId, -1);
      bump(this.perAccount, accountId, -1);
      return true;
    };
    let stream: Duplex;
    try {
      stream = await this.deps.hosts.with(hostId, (h) =>
        kind === 'vnc' ? h.openVnc(instanceId, this.deps.vncPassword(instanceId)) : h.openSerial(instanceId),
      );
    } catch (err) {
      release();
      throw new ConsoleRefusal(502, `the console is unreachable: ${(err as Error).message}`);
    }
    const actionId = await this.deps.actions.record({
      instanceId,
      accountId,
      action: kind === 'vnc' ? 'console' : 'serial-console',
      requestedBy: `${grant.requestedBy} from ${from}`.slice(0, 200),
    });
    return {
      kind,
      instanceId,
      accountId,
      stream,
      greet: kind === 'vnc' ? (browser) => rfbServerSecurity(browser) : async () => undefined,
      end: async (reason: string) => {
        if (!release()) return;
        await this.deps.actions.finishById(actionId, 'succeeded', reason);
      },
    };
  }
}

function bump(m: Map<string, number>, key: string, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}
