// `node gateway/src/main.ts` (containers, `npm start`): the gateway with the configuration read
// once from the environment (see config/from-env.ts). `npm run start:gateway` adds development
// keys first.
import { runGateway } from './run';

void runGateway();
