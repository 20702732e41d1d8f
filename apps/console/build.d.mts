/** Write dist/assets/console.{js,css}; resolves when done. */
export function buildConsole(): Promise<void>;
