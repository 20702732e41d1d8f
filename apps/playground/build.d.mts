/** Write dist/assets/playground.{js,css}; resolves when done. */
export function buildPlayground(): Promise<void>;
