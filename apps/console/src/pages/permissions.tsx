import type { ReactNode } from 'react';
import { Badge, ConfirmButton, ErrorNote, Field, FormButton, Loading, Section, Table, useApi, type useLoad } from '../ui.js';

type Api = ReturnType<typeof useApi>;
export type Catalog = ReturnType<typeof useLoad<Awaited<ReturnType<Api['permissions']['list']>>>>;

/** The form field name of one permission's checkbox; `chosenPermissions` reads them back. */
const PREFIX = 'permission:';

/** The keys ticked in a `PermissionChecklist`, from the form's values. */
export function chosenPermissions(values: Record<string, string>): string[] {
  return Object.keys(values)
    .filter((k) => k.startsWith(PREFIX) && values[k] === 'on')
    .map((k) => k.slice(PREFIX.length));
}

/**
 * A checkbox per permission of a catalog (`permissions`: key and description), `checked` ticked.
 * Used for organization roles (the instance catalog) and workspace roles (the two workspace permissions).
 */
export function PermissionChecklist({
  legend,
  permissions,
  checked = [],
}: {
  legend: string;
  permissions: { key: string; description: string }[];
  checked?: string[];
}) {
  return (
    <fieldset className="cx-checklist">
      <legend className="gh-label">{legend}</legend>
      {permissions.length === 0 ? <p className="cx-muted">The catalog is empty.</p> : null}
      {permissions.map((p) => (
        <label key={p.key} className="cx-check cx-check-item">
          <input type="checkbox" name={`${PREFIX}${p.key}`} defaultChecked={checked.includes(p.key)} />
          <span className="cx-check-text">
            <code className="cx-chip">{p.key}</code>
            {p.description ? <span className="cx-muted">{p.description}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The instance's permission catalog: the built-in permissions and your own, with a form to add one
 * (`resource:action`) and a delete for yours (refused by the API while a role holds it).
 */
export function PermissionCatalog({ catalog, description }: { catalog: Catalog; description?: ReactNode }) {
  const api = useApi();
  return (
    <Section
      title="Permission catalog"
      description={description ?? 'Every permission a role can hold on this instance.'}
      actions={
        <FormButton
          label="Add permission"
          variant="secondary"
          title="Add a permission to the catalog"
          description="It can then be given to any organization's roles. Your code checks it by its key."
          submitLabel="Add permission"
          onSubmit={async (v) => {
            await api.permissions.create({ key: v.key ?? '', description: v.description ?? '' });
            catalog.reload();
          }}
        >
          <Field
            label="Key"
            name="key"
            required
            autoComplete="off"
            placeholder="invoices:approve"
            hint="resource:action, in a–z, 0–9, _ and -."
          />
          <Field label="Description" name="description" autoComplete="off" placeholder="Approve invoices" />
        </FormButton>
      }
    >
      <ErrorNote error={catalog.error} />
      {catalog.loading && !catalog.data ? (
        <Loading />
      ) : (
        <Table label="Permission catalog" columns={['Permission', 'Description', 'Source', '']}>
          {catalog.data?.data.map((p) => (
            <tr key={p.key}>
              <td className="cx-mono">{p.key}</td>
              <td>{p.description || '—'}</td>
              <td>{p.builtIn ? <Badge>Built in</Badge> : <Badge tone="accent">Yours</Badge>}</td>
              <td className="cx-cell-actions">
                {p.builtIn ? null : (
                  <ConfirmButton
                    label="Delete"
                    variant="ghost"
                    title={`Delete the permission “${p.key}”?`}
                    description="Only a permission no role holds can be deleted. Code that checks it will find nobody holds it."
                    confirmLabel="Delete permission"
                    onConfirm={async () => {
                      await api.permissions.delete(p.key);
                      catalog.reload();
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
