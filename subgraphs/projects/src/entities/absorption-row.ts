export type AbsorptionDimension = 'PARTNER' | 'COUNTRY' | 'WORK_PACKAGE' | 'PERIOD';

/**
 * One row of the absorption analytics, as summed in the database (integer cents). Not stored;
 * a class so that codegen maps the SDL's AbsorptionRow to it and the resolvers format money.
 */
export class AbsorptionRow {
  projectId!: string;
  dimension!: AbsorptionDimension;
  key!: string;
  /** Null where budgets are not kept for the dimension (PERIOD). */
  budgetCents!: number | null;
  validatedCents!: number;
  paidCents!: number;
  submittedCents!: number;
  currency!: string;
}
