import {
  badUserInput,
  conflict,
  flushNew,
  notFound,
  optionalText,
  requiredText,
  searchKeys,
  slugId,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { Person } from '../entities';
import { email, phone } from '../rules';
import { definedOnly, optionalChange, requiredChange } from './update-input';

const NAME = { max: 200 };
const POSITION = { max: 200 };

export const personMutations: MutationResolvers = {
  createPerson: async (_root, { input }, { em, loaders }) => {
    const name = requiredText('input.name', input.name, NAME);
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 200 });
    const organisation = await loaders.organisation.load(organisationId);
    if (!organisation) {
      throw badUserInput('input.organisationId', `"${organisationId}" is not an organisation of the hub`);
    }
    const fields = {
      name,
      organisationId,
      position: optionalText('input.position', input.position, POSITION),
      email: email('input.email', input.email),
      phone: phone('input.phone', input.phone),
      searchKeys: searchKeys(name),
      source: requiredText('input.source', input.source),
    };
    const id = slugId(organisationId, name);
    const duplicate = () =>
      conflict(`"${name}" of ${organisationId} is already recorded (id "${id}")`, { id });
    if (await loaders.person.load(id)) throw duplicate();
    const person = em.create(Person, { _id: id, ...fields });
    await flushNew(em, duplicate);
    return person;
  },

  updatePerson: async (_root, { id, version, input }, { em, loaders }) => {
    const stored = await loaders.person.load(id);
    if (!stored) throw notFound('Person', id);
    const changes = definedOnly({
      name: requiredChange('input.name', input.name, (v) => requiredText('input.name', v, NAME)),
      position: optionalChange(input.position, (v) => optionalText('input.position', v, POSITION)),
      email: optionalChange(input.email, (v) => email('input.email', v)),
      phone: optionalChange(input.phone, (v) => phone('input.phone', v)),
      source: requiredChange('input.source', input.source, (v) => requiredText('input.source', v)),
    });
    const keys = changes.name ? { searchKeys: searchKeys(changes.name) } : {};
    return updateVersioned(em, Person, 'Person', id, version, { ...changes, ...keys });
  },

  archivePerson: (_root, { id, version }, { em }) =>
    updateVersioned(em, Person, 'Person', id, version, { archived: true }),
};
