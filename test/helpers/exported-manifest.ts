import type { DataProject } from '../upstream-emulator';

/** The Manifest.xml SCM's Data management would export for this data project (data packages, PK). */
export function exportedManifest(project: DataProject): string {
  const entity = (e: DataProject['lines'], level: number) =>
    `<DataManagementPackageEntityData><EntityMapList>${e.columns
      .map(
        (c) =>
          `<EntityMap><EntityField>${c.entityField}</EntityField><XMLField>${c.column}</XMLField></EntityMap>`,
      )
      .join(
        '',
      )}</EntityMapList><EntityName>${e.entityName}</EntityName><InputFilePath>${e.fileName}</InputFilePath>` +
    `<LevelInExecutionUnit>${level}</LevelInExecutionUnit><SourceFormat>${project.format}</SourceFormat></DataManagementPackageEntityData>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><DataManagementPackageManifest xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement">` +
    `<DefinitionGroupName>${project.projectName}</DefinitionGroupName><PackageEntityList>` +
    `${project.headers ? entity(project.headers, 1) : ''}${entity(project.lines, 2)}</PackageEntityList></DataManagementPackageManifest>`
  );
}
