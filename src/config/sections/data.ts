import { z } from 'zod';

/** 'data' section of configs/base.yaml (owned by the data room; extend with .describe()d fields). */
export const dataSection = z.object({}).passthrough();
