import { z } from 'zod';

/** 'network' section of configs/base.yaml (owned by the network room; extend with .describe()d fields). */
export const networkSection = z.object({}).passthrough();
