/** Operations of the me domain (filled in by its work). */
export {};
