import {
  badUserInput,
  conflict,
  flushNew,
  optionalText,
  requiredText,
  searchKeys,
  slugId,
} from '@clusterpolisee/kit';
// The hub's write rules, as every subgraph applies them.
import {
  archiveMutation,
  changedOnly,
  loadForUpdate,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { Person } from '../entities';
import { email, phone } from '../rules';

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

  updatePerson: async (_root, { id, version, input }, { em }) => {
    await loadForUpdate(em, Person, 'Person', id, version);
    const change = updateInput(input);
    const changes = changedOnly({
      name: change.required('name', (v, f) => requiredText(f, v, NAME)),
      position: change.optional('position', (v, f) => optionalText(f, v, POSITION)),
      email: change.optional('email', (v, f) => email(f, v)),
      phone: change.optional('phone', (v, f) => phone(f, v)),
      source: change.required('source', (v, f) => requiredText(f, v)),
    });
    const keys = changes.name ? { searchKeys: searchKeys(changes.name) } : {};
    return updateVersioned(em, Person, 'Person', id, version, { ...changes, ...keys });
  },

  archivePerson: archiveMutation(Person, 'Person'),
};
