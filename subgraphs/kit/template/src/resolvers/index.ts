import {
  flushNew,
  conflict,
  formatIsoDate,
  isoDate,
  organisationIdReference,
  requiredText,
  slugId,
} from '@clusterpolisee/kit';
import type { Resolvers } from '../__generated__/resolvers';
import { Certification } from '../entities';

export const resolvers: Resolvers = {
  Query: {
    certification: (_root, { id }, { loaders }) => loaders.certification.load(id),
  },
  Mutation: {
    addCertification: async (_root, { input }, { em }) => {
      const organisationId = organisationIdReference('organisationId', input.organisationId);
      const title = requiredText('title', input.title, { max: 200 });
      const issuedOn = isoDate('issuedOn', input.issuedOn);
      const id = slugId(organisationId, title, formatIsoDate(issuedOn));
      const duplicate = () =>
        conflict(`Certification "${id}" exists already.`, { typename: 'Certification', key: id });
      if (await em.findOne(Certification, { _id: id })) throw duplicate();
      const certification = em.create(Certification, {
        _id: id,
        organisationId,
        title,
        issuedOn,
        source: requiredText('source', input.source, { max: 500 }),
      });
      // Checks the record rules (a partner role certifies only its own organisation) and appends
      // the change to the audit trail.
      await flushNew(em, duplicate);
      return certification;
    },
  },
  Certification: {
    __resolveReference: (reference, { loaders }) => loaders.certification.load(reference.id),
    organisation: (certification) => ({ id: certification.organisationId }),
    issuedOn: (certification) => formatIsoDate(certification.issuedOn),
  },
  Organisation: {
    // The partners subgraph owns organisations: any id is answered, an unknown one has none.
    __resolveReference: (reference) => ({ id: reference.id }),
    certifications: (organisation, _args, { loaders }) => loaders.certificationsOf.load(organisation.id),
  },
};
