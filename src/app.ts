import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { loadConfig, type Config } from './config.js';
import { installErrorHandler } from './http/error-handler.js';
import { finishOpenApiDocument } from './http/openapi-responses.js';
import { healthRoutes } from './http/routes/health.js';
import { toolRoutes } from './http/routes/tools.js';
import { knowledgeRoutes } from './http/routes/knowledge.js';
import { chatRoutes } from './http/routes/chat.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { peerSessionRoutes } from './http/routes/peer-sessions.js';
import { createServices, type Services } from './services.js';
import { widgetPlugin } from './widget/widget-plugin.js';
import { adminPagePlugin } from './admin/admin-plugin.js';
import { adminReviewRoutes } from './http/routes/admin-review.js';
import { withLogPrivacy } from './logging.js';
import { rateLimitPlugin } from './http/plugins/rate-limit.js';
import { requestLoggingPlugin } from './http/plugins/request-logging.js';
import { underPressurePlugin } from './http/plugins/under-pressure.js';

export interface BuildAppOptions {
  config?: Partial<Config>;
  /** Reuse already-built services (tests and benchmarks build them once). */
  services?: Services;
  logger?: FastifyServerOptions['logger'];
  /** Extra Fastify server options (timeouts are set by server.ts). */
  server?: Omit<FastifyServerOptions, 'logger'>;
}

/**
 * The whole service as one Fastify instance: third-party plugins first, then our domain
 * services, then routes. Process concerns (listen, signals) live in server.ts.
 */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config: Config = { ...loadConfig({}), ...options.config } as Config;
  const app = Fastify({
    // Every line masked (ID, phone, names); one line per request from the request-logging plugin.
    logger: withLogPrivacy(options.logger),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ...options.server,
  });
  installErrorHandler(app);
  await app.register(requestLoggingPlugin);

  await app.register(swagger, {
    openapi: {
      info: {
        title: '医保转移助手 API',
        description: '医保关系转移接续、个人账户余额、断缴补缴与待遇等待期、余额支取的问答服务。所有日期、金额与是非判断均来自确定性工具或带出处的知识条目。',
        version: '1.0.0',
      },
      tags: [
        { name: 'chat', description: '对话' },
        { name: 'tools', description: '确定性工具' },
        { name: 'knowledge', description: '知识库检索' },
        { name: 'ops', description: '健康检查与指标' },
        { name: 'admin', description: '运营复核（设置 ADMIN_TOKEN 后提供，需 Bearer 令牌）' },
      ],
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } } },
    },
    transform: jsonSchemaTransform,
    // The openapi object is built once, when /docs/json is first read.
    transformObject: (document) => ('openapiObject' in document ? finishOpenApiDocument(document.openapiObject) : document.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // The chat page at GET / (static files, no build step).
  await app.register(widgetPlugin);

  const services = options.services ?? (await createServices(config, app.log));
  app.decorate('services', services);
  // The review page and API exist only with a token (and then turns are recorded); otherwise both are 404.
  const adminToken = services.review ? services.config.ADMIN_TOKEN : undefined;
  if (adminToken) await app.register(adminPagePlugin);
  app.addHook('onClose', async () => {
    if (!options.services) await services.close();
  });

  // Load shedding starts after the (blocking) knowledge load, so start-up is not mistaken for overload.
  await app.register(underPressurePlugin, {});
  // Before every route it limits; health, readiness and metrics opt out per route.
  await app.register(rateLimitPlugin, { max: config.RATE_LIMIT_MAX, ...(services.redis ? { redis: services.redis } : {}) });
  // Instances share sessions directly while Redis is down (only with Redis configured).
  await app.register(fp(peerSessionRoutes), { services });
  await app.register(fp(metricsRoutes), { metrics: services.metrics });
  // zod validation only inside this scope: plugins with plain JSON schemas keep Fastify's own compilers.
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    // Responses are our own typed objects; plain JSON.stringify keeps the hot path cheap.
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await scope.register(healthRoutes, { services });
    await scope.register(toolRoutes, { tools: services.tools });
    await scope.register(knowledgeRoutes, { services });
    await scope.register(chatRoutes, { services });
    if (adminToken && services.review) {
      await scope.register(adminReviewRoutes, {
        review: services.review,
        token: adminToken,
        entries: services.entryById,
        ...(services.config.KB_EDIT_BASE_URL ? { editBaseUrl: services.config.KB_EDIT_BASE_URL } : {}),
      });
    }
  });
  // The WeChat callback has its own scope (XML parser, error handler), so it is not wrapped.
  if (config.WECHAT_TOKEN) {
    // Imported only when configured: its XML library is a fifth of a second of start-up.
    const { wechatPlugin } = await import('./wechat/plugin.js');
    await app.register(wechatPlugin, {
      config: { token: config.WECHAT_TOKEN, aesKey: config.WECHAT_AES_KEY, appId: config.WECHAT_APP_ID },
      chat: services.chat,
      metrics: services.metrics,
    });
  }
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
