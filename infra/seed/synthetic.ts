/**
 * Deterministic stand-ins for what is not public, every record marked `synthetic`. The same
 * inputs always give the same data, so demos, tests and benchmarks see one world.
 */
import { knownPartnerBudgets, partners, project, type PartnerFact } from './facts';

export const SYNTHETIC = 'synthetic';

/** A small seeded PRNG (mulberry32): reproducible across runs and platforms. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PartnerBudgetSeed {
  partner: PartnerFact;
  cents: number;
  source: string;
}

/**
 * One budget per partner: the two public figures as they are, the rest synthetic, in whole
 * euros, sharing out exactly what remains of the real total so that all add up to it.
 */
export function partnerBudgets(): PartnerBudgetSeed[] {
  const isKnown = (p: PartnerFact) =>
    knownPartnerBudgets.find((k) => k.country === p.country && k.name === p.name);
  const unknown = partners.filter((p) => !isKnown(p));
  const knownCents = knownPartnerBudgets.reduce((sum, k) => sum + k.cents, 0);
  const remainingEuros = (project.totalBudgetCents - knownCents) / 100;
  const next = random(2012);
  const weights = unknown.map(() => 0.5 + next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const euros = weights.map((w) => Math.floor((remainingEuros * w) / weightSum));
  // Flooring leaves a few euros over; the last partner takes them so the total is exact.
  euros[euros.length - 1]! += remainingEuros - euros.reduce((a, b) => a + b, 0);

  let u = 0;
  return partners.map((partner) => {
    const known = isKnown(partner);
    if (known) return { partner, cents: known.cents, source: known.source };
    return { partner, cents: euros[u++]! * 100, source: SYNTHETIC };
  });
}

export interface NewsSeed {
  title: string;
  summary: string;
  language: string;
  publishedOn: string;
  author: PartnerFact;
}

const NEWS_TOPICS = [
  'Steering Committee meeting',
  'Working group workshop on cluster financing',
  'Study visit to a regional cluster',
  'Training on cluster policy making',
  'Pilot action under way',
  'Policy learning platform opens to stakeholders',
];

/** Demo news spread over the project period; the titles say they are demo items. */
export function newsItems(count = 12): NewsSeed[] {
  const next = random(2014);
  const start = Date.UTC(2012, 4, 1);
  const span = Date.UTC(2014, 9, 30) - start;
  return Array.from({ length: count }, (_, i) => {
    const author = partners[Math.floor(next() * partners.length)]!;
    const day = new Date(start + Math.floor(next() * span));
    const topic = NEWS_TOPICS[i % NEWS_TOPICS.length]!;
    return {
      title: `${topic} (demo item ${i + 1})`,
      summary: `Synthetic demo news item for the hub; not a real event of the project.`,
      language: 'en',
      publishedOn: day.toISOString().slice(0, 10),
      author,
    };
  });
}
