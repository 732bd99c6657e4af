import { z } from 'zod';
import { Redis } from 'ioredis';
import { defineCommand } from '../src/shell/command.js';
import { ok, text, table } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { parseRedisUrl } from '../src/scale/connection.js';
import { listWorkers } from '../src/scale/bullmq-backend.js';
import { snapshotDigest } from '../src/scale/data-snapshot.js';

export default defineCommand({
  name: 'workers',
  summary: 'BullMQ workers connected to Redis: their data digest (✓ = this session\'s), trials done and throughput',
  schema: z.object({ redis: z.string().optional().describe('Redis URL (default: config scale.redis_url)') }),
  examples: ['workers --redis redis://127.0.0.1:6379'],
  async run(session, args) {
    const url = args.redis ?? session.config.scale?.redis_url;
    if (url === undefined) throw new UserError('needs --redis URL or config scale.redis_url', 'workers');
    const target = parseRedisUrl(url, args.redis ? '--redis' : 'scale.redis_url');
    const redis = new Redis(target.url, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true });
    try {
      await redis.connect().catch((err: unknown) => {
        throw new UserError(`cannot reach Redis at ${target.host}:${target.port} (${err instanceof Error ? err.message : String(err)})`, '--redis');
      });
      const mine = snapshotDigest(session.datasets.values());
      const workers = await listWorkers(redis);
      const line = `${workers.length} worker${workers.length === 1 ? '' : 's'} on ${target.host}:${target.port}, ${workers.filter((w) => w.data === mine).length} with this session's data ${mine.slice(0, 16)}`;
      const rows = workers.map((w) => [w.id, w.host, w.data.slice(0, 16), w.data === mine ? '✓' : '✗', w.done, w.failed, w.uptimeMs > 0 ? Number((w.done / (w.uptimeMs / 1000)).toFixed(2)) : 0, w.busyMs > 0 ? Number((w.done / (w.busyMs / 1000)).toFixed(2)) : 0]);
      return ok('workers', [text(line), table(['worker', 'host', 'data', 'same data', 'trials', 'failed', 'trials/s', 'trials/busy s'], rows, 'workers')], line);
    } finally {
      redis.disconnect();
    }
  },
});
