import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema, type OwnedRecord } from '@clusterpolisee/kit';

/** Forward only, one step at a time: first-level control validates, then the programme pays. */
export type ClaimStatus = 'SUBMITTED' | 'VALIDATED' | 'PAID';

/** Expenditure that one partner reports for one reporting period and work package. */
export class ExpenditureClaim extends HubRecord implements OwnedRecord {
  projectId!: string;
  organisationId!: string;
  periodId!: string;
  workPackageId!: string;
  /** Copied from the partner's budget, so spend can be grouped by country in this database. */
  countryCode!: string;
  amountCents!: number;
  currency!: string;
  status!: ClaimStatus;
  submittedOn!: Date;
  /** The first-level controller who validated it. */
  controller?: string;
  validatedOn?: Date;
  /** Why the claim was accepted although it takes the partner above its budget. */
  overrideReason?: string;

  /**
   * The partner's own money: only its organisation's people see the claim and only its finance
   * officer submits, corrects or withdraws it (the SDL's `own-organisation` policy and the kit's
   * write rules read this).
   */
  ownerOrganisationIds(): readonly string[] {
    return [this.organisationId];
  }
}

export const ExpenditureClaimSchema = new EntitySchema<ExpenditureClaim, HubRecord>({
  class: ExpenditureClaim,
  extends: HubRecordSchema,
  collection: 'expenditureClaims',
  indexes: [
    { properties: ['projectId', 'archived', 'submittedOn'] },
    { properties: ['projectId', 'archived', 'amountCents'] },
    { properties: ['projectId', 'status'] },
    { properties: ['projectId', 'countryCode'] },
    { properties: ['projectId', 'periodId'] },
    { properties: ['projectId', 'workPackageId'] },
    { properties: ['projectId', 'organisationId'] },
    { properties: ['organisationId', 'submittedOn'] },
  ],
  properties: {
    projectId: { type: 'string' },
    organisationId: { type: 'string' },
    periodId: { type: 'string' },
    workPackageId: { type: 'string' },
    countryCode: { type: 'string' },
    amountCents: { type: 'integer' },
    currency: { type: 'string' },
    status: { type: 'string' },
    submittedOn: { type: 'Date' },
    controller: { type: 'string', nullable: true },
    validatedOn: { type: 'Date', nullable: true },
    overrideReason: { type: 'string', nullable: true },
  },
});
