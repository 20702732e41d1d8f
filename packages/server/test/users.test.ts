import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('users', () => {
  it('creates a user with a normalized primary email and reads it back', async () => {
    const email = t.email('Ada');
    const user = await t.backend.users.create({
      email: `  ${email.toUpperCase()} `,
      firstName: 'Ada',
      lastName: 'Lovelace',
      password: 'correct horse battery',
    });
    expect(user).toMatchObject({
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      hasPassword: true,
      publicMetadata: {},
      privateMetadata: {},
    });
    expect(user.id).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(user.emails).toEqual([{ id: expect.stringMatching(/^eml_/), email, verified: true, primary: true }]);
    expect(await t.backend.users.get(user.id)).toEqual(user);
    expect(JSON.stringify(user)).not.toContain('argon2');
  });

  it('searches by email and name and pages with a cursor', async () => {
    const tag = `pager${Date.now()}`;
    const created = [];
    // The tag is only in the names, so a name search cannot also match an email by chance.
    for (let i = 0; i < 5; i++) created.push(await t.backend.users.create({ email: t.email('pager'), firstName: `${tag}-${i}` }));
    const first = await t.backend.users.list({ search: tag, limit: 2 });
    expect(first.data.map((u) => u.firstName)).toEqual([`${tag}-4`, `${tag}-3`]);
    expect(first.hasMore).toBe(true);
    const all = [];
    for await (const user of t.backend.users.listAll({ search: tag, limit: 2 })) all.push(user.id);
    expect(all).toEqual(created.map((u) => u.id).reverse());
    const byEmail = await t.backend.users.list({ email: created[0]!.email! });
    expect(byEmail.data.map((u) => u.id)).toEqual([created[0]!.id]);
    const byName = await t.backend.users.list({ search: `${tag}-2` });
    expect(byName.data.map((u) => u.id)).toEqual([created[2]!.id]);
  });

  it('refuses an empty or blank email or search filter with 400 instead of listing everyone', async () => {
    await t.backend.users.create({ email: t.email() });
    for (const query of [{ email: '' }, { email: ' ' }, { email: '\t\n' }, { search: '' }, { search: '   ' }]) {
      const error = await failure(t.backend.users.list(query));
      expect(error, JSON.stringify(query)).toMatchObject({ code: 'invalid_request', status: 400 });
      expect(error.details).toEqual([expect.objectContaining({ path: `query.${Object.keys(query)[0]}` })]);
    }
    expect((await t.backend.users.list({ email: ` ${t.email().toUpperCase()} ` })).data).toEqual([]);
  });

  it('updates profile and metadata, and deletes', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    const updated = await t.backend.users.update(user.id, {
      firstName: 'Grace',
      username: 'Grace_H',
      publicMetadata: { plan: 'pro' },
      privateMetadata: { stripe: 'cus_1' },
    });
    expect(updated).toMatchObject({
      firstName: 'Grace',
      username: 'grace_h',
      publicMetadata: { plan: 'pro' },
      privateMetadata: { stripe: 'cus_1' },
    });
    const cleared = await t.backend.users.update(user.id, { firstName: null });
    expect(cleared.firstName).toBeNull();
    expect(await t.backend.users.delete(user.id)).toEqual({ id: user.id, deleted: true });
    expect((await failure(t.backend.users.get(user.id))).code).toBe('not_found');
    expect((await failure(t.backend.users.delete(user.id))).status).toBe(404);
  });

  it('refuses a duplicate email or username with 409 conflict and writes nothing', async () => {
    const email = t.email();
    await t.backend.users.create({ email, username: `u${Date.now()}` });
    const dup = await failure(t.backend.users.create({ email: email.toUpperCase(), firstName: 'Second' }));
    expect(dup).toMatchObject({ code: 'conflict', status: 409 });
    expect((await t.backend.users.list({ search: 'Second' })).data.filter((u) => u.email === email)).toEqual([]);
  });

  it('answers 404 for malformed and unknown ids', async () => {
    for (const id of ['usr_nope', 'usr_00000000000000000000000000', 'org_01jd5x3k8m2q4r6t8v0w2y4a6c', "x' or 1=1 --", 'a'.repeat(300)]) {
      const error = await failure(t.backend.users.get(id));
      expect(error).toMatchObject({ code: 'not_found', status: 404 });
    }
  });

  it('rejects oversized metadata, unknown fields and wrong types with 400 naming the field', async () => {
    const big = { blob: 'x'.repeat(9000) };
    const cases: [Record<string, unknown>, string][] = [
      [{ email: t.email(), publicMetadata: big }, 'body.publicMetadata'],
      [{ email: t.email(), isAdmin: true }, 'body'],
      [{ email: 42 }, 'body.email'],
      [{ email: 'not-an-email' }, 'body.email'],
      [{ email: t.email(), password: 'short' }, 'body.password'],
      [{ email: t.email(), password: 'p'.repeat(1025) }, 'body.password'],
      [{ email: t.email(), firstName: 'a\u0000b' }, 'body.firstName'],
    ];
    for (const [body, path] of cases) {
      const error = await failure(t.backend.users.create(body as never));
      expect(error.code).toBe('invalid_request');
      expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
  });
});

describe('emails and phones', () => {
  it('keeps exactly one primary email and refuses to delete it', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    const primaryId = user.emails[0]!.id;
    const second = await t.backend.users.emails.create(user.id, { email: t.email() });
    expect(second).toMatchObject({ verified: true, primary: false });
    const unverified = await t.backend.users.emails.create(user.id, { email: t.email(), verified: false });
    expect((await failure(t.backend.users.emails.makePrimary(user.id, unverified.id))).code).toBe('conflict');
    expect(await t.backend.users.emails.makePrimary(user.id, second.id)).toMatchObject({ id: second.id, primary: true });
    const list = await t.backend.users.emails.list(user.id);
    expect(list.data.filter((e) => e.primary).map((e) => e.id)).toEqual([second.id]);
    expect((await t.backend.users.get(user.id)).email).toBe(second.email);
    expect((await failure(t.backend.users.emails.delete(user.id, second.id))).code).toBe('conflict');
    expect(await t.backend.users.emails.delete(user.id, primaryId)).toEqual({ id: primaryId, deleted: true });
    expect((await failure(t.backend.users.emails.update(user.id, second.id, { verified: false }))).code).toBe('conflict');
  });

  it('makes an email unique across the instance, and scopes email ids to their user', async () => {
    const a = await t.backend.users.create({ email: t.email() });
    const b = await t.backend.users.create({ email: t.email() });
    expect((await failure(t.backend.users.emails.create(b.id, { email: a.email! }))).code).toBe('conflict');
    expect((await failure(t.backend.users.emails.delete(b.id, a.emails[0]!.id))).code).toBe('not_found');
    expect((await failure(t.backend.users.emails.list('usr_unknown'))).code).toBe('not_found');
  });

  it('makes the first phone primary and moves primary on request', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    const first = await t.backend.users.phones.create(user.id, { phone: `+1415555${String(Date.now()).slice(-4)}` });
    expect(first.primary).toBe(true);
    const second = await t.backend.users.phones.create(user.id, { phone: `+4420794${String(Date.now()).slice(-5)}`, primary: true });
    const phones = (await t.backend.users.phones.list(user.id)).data;
    expect(phones.map((p) => [p.id, p.primary])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);
    expect((await failure(t.backend.users.phones.create(user.id, { phone: '555-1234' }))).code).toBe('invalid_request');
    expect((await failure(t.backend.users.phones.delete(user.id, second.id))).code).toBe('conflict');
    await t.backend.users.phones.delete(user.id, first.id);
    expect(await t.backend.users.phones.delete(user.id, second.id)).toEqual({ id: second.id, deleted: true });
  });
});
