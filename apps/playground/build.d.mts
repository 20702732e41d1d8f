/** Write dist/assets/playground.{js,css} (each file replaced whole, by a rename); resolves when done. */
export function buildPlayground(): Promise<void>;
