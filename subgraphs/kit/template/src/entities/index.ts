import { CertificationSchema } from './certification';

export { Certification } from './certification';
export { Organisation } from './organisation';
export const entities = [CertificationSchema];
