/**
 * A small consumer of the types openapi-typescript generates from schema/openapi-v1.yaml.
 *
 * tests/clients/test_typescript.py regenerates generated/api.d.ts and runs `tsc` on this file.
 * Each `@ts-expect-error` below must be a real type error: if the generated types were `any`,
 * or a field changed type, the directive would be unused and `tsc` would fail.
 */
import type { components, paths } from "./generated/api";

export type Observation = components["schemas"]["Observation"];
export type ObservationPage = components["schemas"]["PaginatedObservationList"];

type ObservationsList = paths["/api/v1/observations/"]["get"];
export type ObservationsQuery = NonNullable<ObservationsList["parameters"]["query"]>;
type ObservationsResponse = ObservationsList["responses"][200]["content"]["application/json"];

/** True only when A and B are the same type (`any` equals nothing but `any`). */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Quantities are decimal strings or null, never numbers; the list response is the page type.
export const valueIsDecimalString: Equals<Observation["value"], string | null> = true;
export const listReturnsPage: Equals<ObservationsResponse, ObservationPage> = true;
export const pageSizeIsNumber: Equals<ObservationsQuery["page_size"], number | undefined> = true;

/** "party_members = 16000 (2022年): 1.6万名党员 [haicang-2022]" */
export function describe(observation: Observation): string {
  const value = observation.value ?? "unknown";
  const where = observation.sub_unit
    ? `${observation.district.name_en} / ${observation.sub_unit}`
    : observation.district.name_en;
  const tier = observation.tier === null ? "" : ` <${observation.tier.code}>`;
  return (
    `${observation.indicator.code} = ${value} ${observation.unit}` +
    ` (${observation.period.label}, ${where}${tier}): ` +
    `${observation.source.quote} [${observation.source.document}]`
  );
}

/** The figure as a number, for charts; exact arithmetic stays with the decimal string. */
export function approximateValue(observation: Observation): number | null {
  return observation.value === null ? null : Number(observation.value);
}

/** Party members in two districts, searched in Chinese. */
export const partyMembersQuery: ObservationsQuery = {
  indicator: ["party_members"],
  district: ["350205", "350211"],
  q: "小区党支部",
  page_size: 1000,
  qualifier: ["more_than", "approximate"],
  latest: true,
};

/** Follows `next` links from a first page until the last page, yielding every observation. */
export async function* walkPages(
  first: ObservationPage,
  fetchPage: (url: string) => Promise<ObservationPage>,
): AsyncGenerator<Observation, void, undefined> {
  let page: ObservationPage | undefined = first;
  while (page !== undefined) {
    yield* page.results;
    page = page.next ? await fetchPage(page.next) : undefined;
  }
}

/** The stated values on one page, still as exact decimal strings. */
export function statedValues(page: ObservationPage): string[] {
  return page.results.flatMap((o) => (o.value === null ? [] : [o.value]));
}

export function mistakes(observation: Observation): void {
  // @ts-expect-error value is a decimal string (or null), never a number
  const asNumber: Observation["value"] = 16000;

  // @ts-expect-error Observation has no value_float; quantities are decimal strings
  const missing = observation.value_float;

  // @ts-expect-error value may be null; it must be checked before use
  const digits: number = observation.value.length;

  // @ts-expect-error tier is nullable
  const tierCode: string = observation.tier.code;

  const badQuery: ObservationsQuery = {
    // @ts-expect-error page_size is a number
    page_size: "100",
    // @ts-expect-error "roughly" is not a qualifier
    qualifier: ["roughly"],
  };

  // @ts-expect-error indicator is a list of codes (the filter can be repeated)
  const singleIndicator: ObservationsQuery = { indicator: "party_members" };

  void [asNumber, missing, digits, tierCode, badQuery, singleIndicator];
}
