/** Local stand-in endpoints used when LIBREPORT_ENV=local and nothing overrides them. */
export const LOCAL_PORTS = Object.freeze({
  temporal: 7233,
  temporalUi: 8233,
  dynalite: 4567,
  ses: 8005,
  s3: 4568,
  redshiftData: 4569,
});

/**
 * What `WAREHOUSE_KIND=redshift-data` uses on the local stack when nothing else is set: the stand-ins accept
 * any cluster and role, so these only have to be well-formed (the account id is AWS's documentation example).
 */
export const LOCAL_REDSHIFT = Object.freeze({
  clusterId: 'libreport-local',
  iamRole: 'arn:aws:iam::123456789012:role/libreport-local-copy',
  stagingBucket: 'libreport-staging',
});
