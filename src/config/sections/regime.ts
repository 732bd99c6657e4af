import { z } from 'zod';

/** 'regime' section of configs/base.yaml (owned by the regime room; extend with .describe()d fields). */
export const regimeSection = z.object({}).passthrough();
