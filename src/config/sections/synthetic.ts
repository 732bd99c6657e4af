import { z } from 'zod';

/** 'synthetic' section of configs/base.yaml (owned by the synthetic room; extend with .describe()d fields). */
export const syntheticSection = z.object({}).passthrough();
