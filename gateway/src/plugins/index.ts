// The Apollo Server plugins of the gateway: what is switched off, and the little that is added.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GatewayContext } from '../context';
import { landingNotePlugin } from './landingNote';
import { requestIdPlugin } from './requestId';

/**
 * - cache control off: responses are per caller, nothing computes or sends cache hints;
 * - usage and schema reporting off: nothing leaves for Apollo's cloud, even if APOLLO_KEY is set;
 * - the default landing page off (its Sandbox loads from a CDN), replaced by a short local note
 *   (browsers get the gateway's own IDE instead, see ../ide, unless GATEWAY_IDE=off);
 * - the request id echoed in the response, to find a request in the subgraphs' logs.
 */
export function gatewayPlugins(options: { ide: boolean }): ApolloServerPlugin<GatewayContext>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    ApolloServerPluginLandingPageDisabled(),
    landingNotePlugin(options),
    requestIdPlugin(),
  ];
}
