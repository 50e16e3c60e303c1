/**
 * Staff accounts: `DATA_DIR/staff.json` = `{ users: [{ name, role, hash, createdAt }] }`, written
 * atomically by lowdb (temp file + rename) under a file lock, so the `npm run staff` CLI can change
 * accounts while the bot runs. Passwords are hashed with argon2id (@node-rs/argon2); the file
 * never holds a password.
 */
import { randomInt } from 'node:crypto';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import lockfile from 'proper-lockfile';
import { digest } from '../core/ids.js';

/** `viewer` reads, `editor` also recodes and reviews, `admin` also manages waves and accounts. */
export type StaffRole = 'viewer' | 'editor' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['viewer', 'editor', 'admin'];

export interface StaffUser {
  name: string;
  role: StaffRole;
  /** argon2id PHC string. */
  hash: string;
  createdAt: string;
}

export interface StaffFile {
  users: StaffUser[];
}

/** What the rest of the code may see of an account (never the hash). */
export interface StaffAccount {
  name: string;
  role: StaffRole;
  createdAt: string;
  /** Changes whenever the password does: sessions started with another stamp end. */
  stamp: string;
}

/** A bad name, role or password, or an unknown account; `code` maps to an HTTP status / exit code. */
export class AccountError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** `Algorithm.Argon2id` (a const enum, which isolated modules cannot read from the typings). */
const ARGON2ID = 2 as Algorithm;
/** OWASP's argon2id minimum (19 MiB, 2 passes): ~30 ms per check on a small server. */
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/** Letters and digits without look-alikes (0/O, 1/l/I), for passwords read off a screen. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Throws an AccountError unless `name` is a valid account name. */
export function assertName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new AccountError(
      'invalid',
      `Account name ${JSON.stringify(name)} is not valid: use 2–64 characters, lower-case letters, digits, ".", "_", "-" or "@", ` +
        'starting with a letter or digit (for example anna.virtanen).',
    );
  }
}

/** Throws an AccountError unless `role` is viewer, editor or admin. */
export function assertRole(role: unknown): asserts role is StaffRole {
  if (typeof role !== 'string' || !(STAFF_ROLES as readonly string[]).includes(role)) {
    throw new AccountError('invalid', `Role ${JSON.stringify(role)} is not valid: use ${STAFF_ROLES.join(', ')}.`);
  }
}

/** Throws an AccountError unless `password` is long enough (and not absurdly long). */
export function assertPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountError(
      'invalid',
      `A password needs ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters. ` +
        'Leave it out to have one generated.',
    );
  }
}

/** A random password of `length` characters (crypto random, no modulo bias). */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/** True when `role` may do what `needed` allows (admin ⊃ editor ⊃ viewer). */
export function roleAllows(role: StaffRole, needed: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(needed);
}

const publicView = (u: StaffUser): StaffAccount => ({ name: u.name, role: u.role, createdAt: u.createdAt, stamp: digest(u.hash, 16) });

/** The accounts of one DATA_DIR. Reads notice changes made by another process (the CLI). */
export class StaffAccounts {
  readonly file: string;
  readonly #db: Low<StaffFile>;
  #signature = '';
  /** A hash of a random password: unknown names are verified against it, so they take as long. */
  #decoy: Promise<string> | undefined;

  constructor(
    readonly dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dataDir, 'staff.json');
    this.#db = new Low<StaffFile>(new JSONFile<StaffFile>(this.file), { users: [] });
  }

  async #signatureNow(): Promise<string> {
    try {
      const s = await stat(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  /** The current file contents (re-read only when the file changed). */
  async #read(): Promise<StaffFile> {
    const signature = await this.#signatureNow();
    if (signature !== this.#signature) {
      try {
        await this.#db.read();
      } catch (error) {
        throw new Error(
          `${this.file} cannot be read (${(error as Error).message}). It has not been changed; ` +
            'fix the JSON by hand or move it aside and add the accounts again with `npm run staff -- add <name>`.',
        );
      }
      const data = this.#db.data as Partial<StaffFile> | null;
      if (!data || !Array.isArray(data.users)) {
        throw new Error(`${this.file} must hold { "users": [...] }. It has not been changed; fix it by hand.`);
      }
      this.#signature = signature;
    }
    return this.#db.data;
  }

  /** Runs `change` on fresh data under the file lock, then writes atomically (mode 0600). */
  async #update<T>(change: (data: StaffFile) => T | Promise<T>): Promise<T> {
    await mkdir(this.dataDir, { recursive: true });
    const release = await lockfile.lock(this.file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 30, minTimeout: 20, maxTimeout: 300 },
    });
    try {
      this.#signature = '';
      const data = await this.#read();
      const result = await change(data);
      await this.#db.write();
      await chmod(this.file, 0o600);
      this.#signature = '';
      return result;
    } finally {
      await release();
    }
  }

  async list(): Promise<StaffAccount[]> {
    return (await this.#read()).users.map(publicView);
  }

  async get(name: string): Promise<StaffAccount | undefined> {
    const user = (await this.#read()).users.find((u) => u.name === name);
    return user && publicView(user);
  }

  /** Adds an account; rejects a taken name. */
  async add(name: string, role: StaffRole, password: string): Promise<StaffAccount> {
    assertName(name);
    assertRole(role);
    assertPassword(password);
    const passwordHash = await hash(password, HASH_OPTIONS);
    return this.#update((data) => {
      if (data.users.some((u) => u.name === name)) {
        throw new AccountError('conflict', `Account ${name} already exists. Use \`passwd ${name}\` to set a new password.`);
      }
      const user: StaffUser = { name, role, hash: passwordHash, createdAt: this.now().toISOString() };
      data.users.push(user);
      return publicView(user);
    });
  }

  async remove(name: string): Promise<void> {
    assertName(name);
    await this.#update((data) => {
      const index = data.users.findIndex((u) => u.name === name);
      if (index < 0) throw this.#notFound(name, data);
      data.users.splice(index, 1);
    });
  }

  async setPassword(name: string, password: string): Promise<void> {
    assertName(name);
    assertPassword(password);
    const passwordHash = await hash(password, HASH_OPTIONS);
    await this.#update((data) => {
      const user = data.users.find((u) => u.name === name);
      if (!user) throw this.#notFound(name, data);
      user.hash = passwordHash;
    });
  }

  async setRole(name: string, role: StaffRole): Promise<StaffAccount> {
    assertName(name);
    assertRole(role);
    return this.#update((data) => {
      const user = data.users.find((u) => u.name === name);
      if (!user) throw this.#notFound(name, data);
      user.role = role;
      return publicView(user);
    });
  }

  /**
   * The account when `password` is right, else undefined. An unknown name costs the same argon2
   * check as a known one, so timing does not tell which names exist.
   */
  async verify(name: string, password: string): Promise<StaffAccount | undefined> {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return undefined;
    const user = (await this.#read()).users.find((u) => u.name === name);
    if (!user) {
      this.#decoy ??= hash(generatePassword(), HASH_OPTIONS);
      await verify(await this.#decoy, password).catch(() => false);
      return undefined;
    }
    const ok = await verify(user.hash, password).catch(() => false);
    return ok ? publicView(user) : undefined;
  }

  #notFound(name: string, data: StaffFile): AccountError {
    const known = data.users.map((u) => u.name).join(', ') || 'none';
    return new AccountError('not_found', `No account ${name} (accounts: ${known}). Add it with \`npm run staff -- add ${name}\`.`);
  }
}
