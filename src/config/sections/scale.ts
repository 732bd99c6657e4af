import { z } from 'zod';

/**
 * Scale-out settings (docs/scale-out.md). Optional: a config without the section parses as before
 * (config digests do not move).
 */
export const scaleSection = z
  .object({
    redis_url: z.string().optional().describe('Redis of the BullMQ workers, e.g. redis://127.0.0.1:6379 (optimize --backend bullmq; --redis overrides)'),
  })
  .strict();

export type ScaleConfig = z.infer<typeof scaleSection>;
