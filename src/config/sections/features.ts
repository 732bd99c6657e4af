import { z } from 'zod';

/** 'features' section of configs/base.yaml (owned by the features room; extend with .describe()d fields). */
export const featuresSection = z.object({}).passthrough();
