/**
 * Where each document was last pushed (or opened from, in the IAM view), for "Push Policy
 * Again": the target, the policy name and the account, keyed by the document's URI and kept in the workspace's state (VS Code's
 * workspaceState, or anything with the same get/update). Names only: never the policy text.
 *
 * What is read back is checked, since the state outlives versions of the extension; the
 * newest entries are kept, up to a limit, so the state cannot grow without bound.
 */
import type { EntityKind } from '../aws';

/** The part of VS Code's Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface PushTarget {
  readonly kind: EntityKind;
  readonly name: string;
  readonly policyName: string;
  /** The account it was pushed to, when known. */
  readonly account?: string;
}

/**
 * Where a document goes that is not an inline policy: a new version of a managed policy, or a
 * role's trust policy. Remembered the same way, so Push Policy Again sends it back there.
 */
export type OtherDestination =
  | { readonly type: 'managed-policy'; readonly policyArn: string; readonly account?: string }
  | { readonly type: 'trust-policy'; readonly roleName: string; readonly account?: string };

/** Any destination: an inline policy (a PushTarget) or one of the others. */
export type Destination = ({ readonly type: 'inline-policy' } & PushTarget) | OtherDestination;

type Entry = [uri: string, target: PushTarget | OtherDestination];

const KINDS: ReadonlySet<string> = new Set<EntityKind>(['user', 'group', 'role']);

export function isPushTarget(value: unknown): value is PushTarget {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.kind === 'string' &&
    KINDS.has(record.kind) &&
    typeof record.name === 'string' &&
    record.name !== '' &&
    typeof record.policyName === 'string' &&
    record.policyName !== '' &&
    (record.account === undefined || typeof record.account === 'string')
  );
}

export function isOtherDestination(value: unknown): value is OtherDestination {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const account = record.account === undefined || typeof record.account === 'string';
  if (record.type === 'managed-policy') return typeof record.policyArn === 'string' && record.policyArn !== '' && account;
  if (record.type === 'trust-policy') return typeof record.roleName === 'string' && record.roleName !== '' && account;
  return false;
}

export class PushMemory {
  /**
   * For documents opened from IAM: the document IAM held then (or was last sent), by URI.
   * Kept for this session only, never in the workspace state (it is policy text); without it
   * a push back asks before replacing, as any push does.
   */
  private readonly bases = new Map<string, string>();

  static readonly KEY = 'iamPolicy.pushTargets';
  static readonly DEFAULT_LIMIT = 500;

  constructor(
    private readonly store: StateStore,
    private readonly limit = PushMemory.DEFAULT_LIMIT,
  ) {}

  /** The target `uri` was last pushed to, if any. */
  get(uri: string): PushTarget | undefined {
    const target = this.entries().find(([key]) => key === uri)?.[1];
    return target !== undefined && isPushTarget(target) ? target : undefined;
  }

  /** Where `uri` goes now: the last push or the place it was opened from, of any kind. */
  destination(uri: string): Destination | undefined {
    const target = this.entries().find(([key]) => key === uri)?.[1];
    if (target === undefined) return undefined;
    return isPushTarget(target) ? { type: 'inline-policy', ...target } : target;
  }

  /** Remembers a managed policy or trust policy destination (the newest first), as `remember` does. */
  async rememberDestination(uri: string, destination: Destination): Promise<void> {
    if (destination.type === 'inline-policy') {
      const { type: _type, ...target } = destination;
      return this.remember(uri, target);
    }
    const kept: OtherDestination =
      destination.type === 'managed-policy'
        ? { type: 'managed-policy', policyArn: destination.policyArn, ...(destination.account !== undefined ? { account: destination.account } : {}) }
        : { type: 'trust-policy', roleName: destination.roleName, ...(destination.account !== undefined ? { account: destination.account } : {}) };
    const entries = [[uri, kept] as Entry, ...this.entries().filter(([key]) => key !== uri)].slice(0, this.limit);
    await this.store.update(PushMemory.KEY, entries);
  }

  /** What IAM held when `uri` was opened from it (or last pushed), this session. */
  base(uri: string): string | undefined {
    return this.bases.get(uri);
  }

  setBase(uri: string, document: string): void {
    this.bases.set(uri, document);
  }

  /** Remembers a push (the newest first); the oldest beyond the limit are dropped. */
  async remember(uri: string, target: PushTarget): Promise<void> {
    const kept: PushTarget = {
      kind: target.kind,
      name: target.name,
      policyName: target.policyName,
      ...(target.account !== undefined ? { account: target.account } : {}),
    };
    const entries = [[uri, kept] as Entry, ...this.entries().filter(([key]) => key !== uri)].slice(0, this.limit);
    await this.store.update(PushMemory.KEY, entries);
  }

  async forget(uri: string): Promise<void> {
    this.bases.delete(uri);
    const entries = this.entries();
    const left = entries.filter(([key]) => key !== uri);
    if (left.length !== entries.length) await this.store.update(PushMemory.KEY, left);
  }

  /**
   * Follows a rename: the file itself, or, when a folder was renamed, every file under it
   * (URIs are compared as strings, so `folder/` must be followed by a separator).
   */
  async rename(oldUri: string, newUri: string): Promise<void> {
    const prefix = oldUri.endsWith('/') ? oldUri : `${oldUri}/`;
    const newPrefix = newUri.endsWith('/') ? newUri : `${newUri}/`;
    const renamed = new Set<string>();
    const moved = this.entries().map(([key, target]): [Entry, boolean] => {
      const to = key === oldUri ? newUri : key.startsWith(prefix) ? `${newPrefix}${key.slice(prefix.length)}` : undefined;
      if (to === undefined) return [[key, target], false];
      renamed.add(to);
      return [[to, target], true];
    });
    if (renamed.size === 0) return;
    const base = this.bases.get(oldUri);
    if (base !== undefined && renamed.has(newUri)) {
      this.bases.delete(oldUri);
      this.bases.set(newUri, base);
    }
    // A file renamed onto another's name takes its place: what was remembered for the old one goes.
    const entries = moved.filter(([[key], isRenamed]) => isRenamed || !renamed.has(key)).map(([entry]) => entry);
    await this.store.update(PushMemory.KEY, entries);
  }

  /** The stored entries that are well-formed, newest first. */
  private entries(): Entry[] {
    const raw = this.store.get<unknown>(PushMemory.KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (entry): entry is Entry =>
        Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && (isPushTarget(entry[1]) || isOtherDestination(entry[1])),
    );
  }
}
