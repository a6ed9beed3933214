/**
 * Amazon Redshift's documented SQL function names (docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions.html and
 * its category pages, as collected in shared/reference/redshift-functions.txt), lower case. A function the gate
 * finds outside this set fails the statement. Deprecated leader-node-only functions (NOW, AGE, CURRENT_TIMESTAMP, …)
 * are deliberately absent. Names PostgreSQL's parser produces for SQL syntax are in `SYNTAX_FUNCTIONS`.
 */
export const REDSHIFT_FUNCTIONS: ReadonlySet<string> = new Set(
  `
  abs acos add_months addbbox any_value array array_concat array_contains array_distinct array_except
  array_flatten array_intersection array_position array_positions array_sort array_union arrays_overlap ascii
  asin atan atan2 avg bit_and bit_or bool_and bool_or bpcharcmp btrim bttext_pattern_cmp cast cbrt ceil
  ceiling change_query_priority change_session_priority change_user_priority char_length character_length
  charindex checksum chr coalesce collate concat convert convert_timezone cos cot count crc32 cume_dist
  current_aws_account current_database current_date current_namespace current_schema current_schemas
  current_setting current_user current_user_id date_cmp date_cmp_timestamp date_cmp_timestamptz date_part
  date_part_year date_trunc dateadd datediff decimal_precision decimal_scale decode degrees dense_rank dexp
  difference dlog1 dlog10 dropbbox exp explain_model extract farmfingerprint64 first_value floor fnv_hash
  from_hex from_varbyte func_sha1 geometrytype get_array_length get_number_attributes getbit getdate greatest
  has_assumerole_privilege has_database_privilege has_schema_privilege has_table_privilege hll
  hll_cardinality hll_combine hll_create_sketch initcap interval_cmp is_array is_bigint is_boolean is_char
  is_decimal is_float is_integer is_object is_scalar is_smallint is_valid_json is_valid_json_array is_varchar
  json_array_length json_extract_array_element_text json_extract_path_text json_parse json_serialize
  json_size json_typeof lag last_day last_value lead least left len length listagg ln log lower
  lower_attribute_names lpad ltrim max md5 median min mod months_between murmur3_32_hash next_day nth_value
  ntile nullif nvl nvl2 object object_transform octet_length octetindex percent_rank percentile_cont
  percentile_disc pg_backend_pid pg_cancel_backend pg_get_cols pg_get_grantee_by_iam_role
  pg_get_iam_role_by_user pg_get_late_binding_view_cols pg_last_copy_count pg_last_copy_id pg_last_query_id
  pg_last_unload_count pg_last_unload_id pg_terminate_backend pi position power quote_ident quote_literal
  radians random rank ratio_to_report regexp_count regexp_instr regexp_replace regexp_substr repeat replace
  replicate reverse right round row_number rpad rtrim session_user set_config sha sha1 sha2 sign sin size
  slice_num soundex split_part split_to_array sqrt st_addpoint st_angle st_area st_asbinary st_asewkb
  st_asewkt st_asgeojson st_astext st_azimuth st_boundary st_collect st_contains st_containsproperly
  st_convexhull st_coveredby st_covers st_crosses st_dimension st_disjoint st_distance st_distancesphere
  st_dwithin st_endpoint st_envelope st_equals st_exteriorring st_force2d st_force3d st_force3dm st_force3dz
  st_force4d st_geometryn st_geometrytype st_geomfromewkb st_geomfromewkt st_geomfromtext st_geomfromwkb
  st_interiorringn st_intersects st_isclosed st_iscollection st_isempty st_ispolygonccw st_ispolygoncw
  st_issimple st_isvalid st_length st_length2d st_lengthsphere st_linefrommultipoint st_lineinterpolatepoint
  st_m st_makeenvelope st_makeline st_makepoint st_makepolygon st_memsize st_mmax st_mmin st_multi st_ndims
  st_npoints st_nrings st_numgeometries st_numinteriorrings st_numpoints st_perimeter st_perimeter2d st_point
  st_pointn st_points st_polygon st_removepoint st_reverse st_setpoint st_setsrid st_simplify st_srid
  st_startpoint st_touches st_within st_x st_xmax st_xmin st_y st_ymax st_ymin st_z st_zmax st_zmin stddev
  stddev_pop stddev_samp strpos strtol subarray substr substring sum supportsbbox sysdate tan text_to_int_alt
  text_to_numeric_alt textlen timeofday timestamp_cmp timestamp_cmp_date timestamp_cmp_timestamptz
  timestamptz_cmp timestamptz_cmp_date timestamptz_cmp_timestamp timezone to_char to_date to_hex to_number
  to_timestamp to_varbyte translate trim trunc try_cast upper upper_attribute_names user var_pop var_samp
  variance version
`
    .trim()
    .split(/\s+/),
);

/**
 * What PostgreSQL's parser turns SQL syntax into, when Redshift documents the syntax itself: `x AT TIME ZONE z`
 * (timezone), `EXTRACT(f FROM x)` (extract), `POSITION(a IN b)`, `SUBSTRING(x FROM i FOR n)`, `TRIM(…)`.
 */
export const SYNTAX_FUNCTIONS: ReadonlySet<string> = new Set([
  'timezone',
  'extract',
  'position',
  'substring',
  'btrim',
  'ltrim',
  'rtrim',
]);

/** Families Redshift documents as unsupported, named in the refusal so the reader knows why. */
export function unsupportedFunctionReason(name: string): string | undefined {
  if (name.startsWith('pg_advisory') || name.startsWith('pg_try_advisory')) return 'advisory locks';
  if (name.startsWith('array_') || name === 'unnest' || name === 'array_agg')
    return 'PostgreSQL array functions';
  if (name.startsWith('jsonb_') || name.startsWith('json_build') || name === 'to_jsonb' || name === 'to_json')
    return 'JSON/JSONB functions';
  if (name === 'generate_series' || name === 'generate_subscripts') return 'set-returning functions';
  if (name.startsWith('txid_') || name.startsWith('pg_snapshot')) return 'transaction id functions';
  return undefined;
}
