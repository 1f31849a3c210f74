import { WorkingGroupSchema } from './working-group';

export { Organisation } from './organisation';
export { WorkingGroup } from './working-group';
export const entities = [WorkingGroupSchema];
