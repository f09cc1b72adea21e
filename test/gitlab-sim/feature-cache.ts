/**
 * GitLab caches instance flags in each web process for up to a minute in front of Redis (lib/feature.rb,
 * `build_flipper_instance`: `Flipper::Adapters::ActiveSupportCacheStore` with `expires_in: 1.minute` over the
 * L2 Redis cache). A `GET /features` right after a write may be answered by another process whose cache still
 * holds the features as they were before it. With `staleMs` > 0, every `GET /features` within `staleMs` of a
 * write answers the list as it was before the first write of that window; the write's own response is fresh.
 * A write is any `/features/:name` call that changed the stored features, a refused one included.
 */
import type { Clock } from './builders.js';
import { featureEntity } from './flipper.js';
import type { Route } from './router.js';
import type { SimFeature } from './types.js';

export interface FeatureCache {
  /** How long after a write reads stay stale (0: off, the default). */
  staleMs: number;
  /** The list as it was before the window's first write, and when the window ends. */
  window?: { until: number; features: SimFeature[] };
}

const copy = (features: SimFeature[]): SimFeature[] => JSON.parse(JSON.stringify(features)) as SimFeature[];

/** Wraps the `/features` routes: writes open a stale window, list reads inside it answer the old list. */
export function withFeatureCache(routes: Route[], cache: FeatureCache, now: Clock): Route[] {
  return routes.map((route) => {
    if (route.pattern === '/features' && route.method === 'GET') {
      return {
        ...route,
        handler: async (ctx) => {
          const answer = await route.handler(ctx);
          const w = cache.window;
          if (answer.status !== 200 || !w || now().getTime() >= w.until) return answer;
          return { ...answer, body: w.features.map(featureEntity) };
        },
      };
    }
    if (!route.pattern.startsWith('/features/')) return route;
    return {
      ...route,
      handler: async (ctx) => {
        const before = copy(ctx.state.features);
        // No rollback: a refused call may have applied the targets before the one refused (routes/features.ts).
        const openWindow = () => {
          if (cache.staleMs <= 0 || JSON.stringify(ctx.state.features) === JSON.stringify(before)) return;
          const t = now().getTime();
          const open = cache.window !== undefined && t < cache.window.until;
          cache.window = { until: t + cache.staleMs, features: open ? cache.window!.features : before };
        };
        let answer;
        try {
          answer = await route.handler(ctx);
        } finally {
          openWindow();
        }
        return answer;
      },
    };
  });
}
