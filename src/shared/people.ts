import { z } from 'zod';
import { hasControlChars } from './text';

/**
 * A store's people: who may do what (roles), who did something (actors and a line's author),
 * and the inputs of signing in and of the staff list. Main enforces all of it; the UI reads the
 * same table to hide or disable what the person signed in may not do.
 */

/** Each role may do what the ones before it may, and more. */
export const ROLES = ['clerk', 'manager', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** How a role reads in a sentence and on a label. */
export const ROLE_WORDS: Record<Role, { label: string; aRole: string; does: string }> = {
  clerk: {
    label: 'Clerk',
    aRole: 'a clerk',
    does: 'Enters lines, scans, counts and drafts, voids their own unsent lines, looks at everything.',
  },
  manager: {
    label: 'Manager',
    aRole: 'a manager',
    does: 'And: applies counts, DoNotSync and Retry, voids anyone’s lines, settings and mappings, people.',
  },
  administrator: {
    label: 'Administrator',
    aRole: 'an administrator',
    does: 'And: the connection and its secret, Initialize, the tenant check, API keys, how people sign in.',
  },
};

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * How this ledger's people sign in: not chosen yet (the first start asks), one clerk with no
 * sign-in (everything is done as the computer's user, as before people), or people who sign in.
 */
export type SignInMode = 'unset' | 'single-clerk' | 'people';

/**
 * Who is acting: a person signed in, a store system (its API key), or the computer's user in
 * single-clerk mode. `id` is stable (a person's or a key's ID); null for the computer's user.
 */
export type ActorKind = 'person' | 'system' | 'os-user';
export interface ActorView {
  kind: ActorKind;
  id: string | null;
  name: string;
  role: Role;
}

/**
 * Who wrote a line, as stored with it: an actor's kind, or `before-sign-in` for lines stored
 * before people existed (their `createdBy` is the computer's user or the API key's label then).
 */
export type AuthorKind = ActorKind | 'before-sign-in';
export interface LineAuthor {
  kind: AuthorKind;
  id: string | null;
  name: string;
}

/** A line's author in words: "Anna", "POS (API key)", "root (before sign-in)". */
export function authorWords(author: LineAuthor): string {
  if (author.kind === 'system') return `${author.name} (API key)`;
  if (author.kind === 'before-sign-in') return `${author.name} (before sign-in)`;
  return author.name;
}

/** A stored line's author in words, as the line drawer says it. */
export function lineAuthorWords(line: {
  createdBy: string;
  createdById?: string | null;
  authorKind?: AuthorKind;
}): string {
  return authorWords({
    kind: line.authorKind ?? 'before-sign-in',
    id: line.createdById ?? null,
    name: line.createdBy,
  });
}

/** A person on the staff list, as a manager sees them (never a hash). */
export interface PersonView {
  personId: string;
  name: string;
  role: Role;
  hasBadge: boolean;
  active: boolean;
  createdAt: string;
  createdBy: string;
  /** Too many wrong PINs: sign-in refused until then (ISO time), else null. */
  lockedUntil: string | null;
}

/** What the sign-in screen and the frame need to know about this window. */
export interface SessionView {
  mode: SignInMode;
  /** Who is signed in on this window (the computer's user in single-clerk mode), or null. */
  actor: ActorView | null;
  /** The window locks itself after this many minutes without a key press or a click. */
  autoLockMinutes: number;
  /** Active people, for the sign-in screen's name list (people mode only). */
  people: { personId: string; name: string }[];
}

/** A store system's API key, as an administrator sees it: never the key itself. */
export interface ApiKeyView {
  keyId: string;
  name: string;
  role: Role;
  /** `environment`: STORE_LEDGER_API_KEY, held in memory only and revoked by removing it. */
  source: 'ledger' | 'environment';
  createdAt: string | null;
  createdBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

/** A new key: shown once, in this answer only. */
export interface ApiKeyCreated {
  key: string;
  apiKey: ApiKeyView;
}

export const PIN_DIGITS = { min: 4, max: 8 } as const;

/** The PIN's rule in words, as a PIN field describes it. */
export const PIN_RULE = `${PIN_DIGITS.min} to ${PIN_DIGITS.max} digits`;

/** What a PIN field keeps of what was typed: digits, at most as many as a PIN has. */
export function pinTyped(text: string): string {
  return text.replace(/\D/g, '').slice(0, PIN_DIGITS.max);
}

export const pinSchema = z
  .string({ error: 'must be a PIN of digits' })
  .regex(new RegExp(`^\\d{${PIN_DIGITS.min},${PIN_DIGITS.max}}$`), {
    error: `must be ${PIN_RULE}`,
  });

/** What a badge's barcode reads as; a scanner's Enter is not part of it. */
export const badgeSchema = z
  .string({ error: 'must be the badge’s barcode' })
  .trim()
  .min(4, { error: 'must be at least 4 characters (scan the badge)' })
  .max(128, { error: 'must be at most 128 characters' })
  .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

const nameOf = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: 'must not be blank' })
    .max(80, { error: 'must be at most 80 characters' })
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

export const personNameSchema = nameOf('a name');
export const roleSchema = z.enum(ROLES, { error: 'must be clerk, manager or administrator' });
const personId = z.string({ error: 'must be a person ID' }).min(1).max(64);

export const peopleInputs = {
  signIn: z.union([z.strictObject({ personId, pin: pinSchema }), z.strictObject({ badge: badgeSchema })]),
  /** The first start: people who sign in (the first one gets every right), or one clerk with no sign-in. */
  setup: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('single-clerk') }),
    z.strictObject({
      mode: z.literal('people'),
      name: personNameSchema,
      pin: pinSchema,
      badge: badgeSchema.optional(),
    }),
  ]),
  create: z.strictObject({
    name: personNameSchema,
    role: roleSchema,
    pin: pinSchema,
    badge: badgeSchema.optional(),
  }),
  update: z.strictObject({
    personId,
    name: personNameSchema.optional(),
    role: roleSchema.optional(),
    /** A new PIN also lifts a lockout. */
    pin: pinSchema.optional(),
    /** null takes the badge away. */
    badge: badgeSchema.nullable().optional(),
    active: z.boolean({ error: 'must be true or false' }).optional(),
  }),
  setMode: z.strictObject({
    mode: z.enum(['single-clerk', 'people'], { error: 'must be single-clerk or people' }),
  }),
  createApiKey: z.strictObject({ name: nameOf('a name for the system'), role: roleSchema.default('clerk') }),
  revokeApiKey: z.strictObject({ keyId: z.string({ error: 'must be a key ID' }).min(1).max(64) }),
} as const;

/** What single-clerk mode gives up, said where it is chosen and where it can be changed. */
export const SINGLE_CLERK_GIVES_UP =
  'Nobody signs in: every line, void, count and change is recorded as this computer’s user, so clerks sharing it cannot be told apart, and anyone at it can change the connection, apply counts and void any line.';
