// `node gateway/src/main.ts` (containers, `npm start`): the gateway with the configuration from
// the environment (see config.ts). `npm run start:gateway` adds development keys first.
import { runGateway } from './run';

void runGateway();
