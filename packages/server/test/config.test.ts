import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      publicUrl: 'http://localhost:8787',
      rpId: 'localhost',
      trustProxy: 0,
      databaseUrl: undefined,
    });
    expect(config.allowedOrigins).toEqual(['http://localhost:8787']);
    expect(config.dataDir).toMatch(/\.gatehouse$/);
  });

  it('requires GATEHOUSE_ENCRYPTION_KEY with DATABASE_URL, and says how to make one', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/openssl rand -base64 32/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x', GATEHOUSE_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x', GATEHOUSE_ENCRYPTION_KEY: key }).encryptionKey?.length).toBe(32);
  });

  it('explains bad values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ PUBLIC_URL: 'auth.example.com' })).toThrow(/PUBLIC_URL must be an absolute URL/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
  });

  it('always allows the public origin, and normalizes origins', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://auth.example.com/',
      ALLOWED_ORIGINS: 'https://app.example.com/, https://admin.example.com',
    });
    expect(config.publicUrl).toBe('https://auth.example.com');
    expect(config.allowedOrigins).toEqual(['https://auth.example.com', 'https://app.example.com', 'https://admin.example.com']);
  });
});
