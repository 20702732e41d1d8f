/** Networkless verification of session JWTs against Gatehouse's JWKS (filled in by the session-token work). */
export {};
