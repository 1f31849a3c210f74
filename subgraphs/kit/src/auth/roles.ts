/**
 * Who may do what in the hub. A caller's role comes from its token (verified at the gateway);
 * the scopes are derived from the role here, in one table, and travel to the subgraphs inside
 * the gateway's signed identity, where the SDL's `@requiresScopes` checks them.
 */
export const ROLES = [
  'anonymous',
  'partner-member',
  'finance-officer',
  'controller',
  'coordinator',
  'analyst',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** What a scope allows; the descriptions are shown in the README's roles table. */
export const SCOPES = {
  'read:personal': "people's contact details (e-mail, phone)",
  'read:claims': 'expenditure claims (record rules narrow partners to their own)',
  'read:drafts': "unpublished communications (record rules narrow them to the author's organisation)",
  'read:audit': 'the audit trail of every subgraph',
  'write:organisation': 'its organisation, its people and its partnerships (own organisation only)',
  'write:knowledge': 'policy knowledge: policies, assessments, good practices, pilots (own organisation)',
  'write:content': 'news, events, publications and newsletters (own organisation)',
  'write:governance': 'project partners, governing bodies, memberships and meetings',
  'write:project': 'projects, work packages, reporting periods and partner budgets',
  'submit:claims': 'submit, correct and withdraw expenditure claims (own organisation)',
  'validate:claims': 'first-level control: validate submitted claims',
  'pay:claims': 'mark validated claims paid',
} as const;
export type Scope = keyof typeof SCOPES;

const PARTNER: Scope[] = [
  'read:personal',
  'read:claims',
  'read:drafts',
  'write:organisation',
  'write:knowledge',
  'write:content',
];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  anonymous: [],
  'partner-member': PARTNER,
  'finance-officer': [...PARTNER, 'submit:claims'],
  controller: ['read:personal', 'read:claims', 'read:audit', 'validate:claims'],
  coordinator: [
    'read:personal',
    'read:claims',
    'read:audit',
    'write:organisation',
    'write:knowledge',
    'write:content',
    'write:governance',
    'write:project',
    'submit:claims',
    'pay:claims',
  ],
  // Everything readable except personal data; drafts stay with their authors.
  analyst: ['read:claims'],
  admin: Object.keys(SCOPES) as Scope[],
};

/** Roles that act for one organisation: their token must name it, and record rules bind them to it. */
export const ORGANISATION_BOUND_ROLES: ReadonlySet<Role> = new Set(['partner-member', 'finance-officer']);

export interface Identity {
  /** The token's `sub`, or `anonymous`. */
  subject: string;
  role: Role;
  /** The organisation an organisation-bound role acts for (`org` claim), else null. */
  organisationId: string | null;
  scopes: ReadonlySet<string>;
}

export const ANONYMOUS: Identity = Object.freeze({
  subject: 'anonymous',
  role: 'anonymous',
  organisationId: null,
  scopes: new Set<string>(),
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function identityFor(subject: string, role: Role, organisationId: string | null = null): Identity {
  return { subject, role, organisationId, scopes: new Set(ROLE_SCOPES[role]) };
}

/**
 * The organisation an organisation-bound caller (a partner's member or finance officer) acts for,
 * or undefined for the roles that act for the whole project. Lists filter on it in the database
 * query, so that pages and counts hold only what such a caller may see.
 */
export function boundOrganisation(identity: Identity): string | undefined {
  if (!ORGANISATION_BOUND_ROLES.has(identity.role)) return undefined;
  // The gateway's signature always names a bound role's organisation; without one, nothing is its own.
  return identity.organisationId ?? '';
}
