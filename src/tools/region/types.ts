/** Administrative level of a resolved place (GB/T 2260). */
export type RegionLevel = 'province' | 'prefecture' | 'county' | 'district';

/** A place resolved to its province and medical-insurance pooling area (统筹地区). */
export interface Region {
  /** The name as it should be shown, e.g. "昆山市". */
  name: string;
  /** Short name as people write it, e.g. "昆山". */
  shortName: string;
  /** 6-digit GB/T 2260 code, e.g. "320583". */
  code: string;
  level: RegionLevel;
  /** Prefecture-level unit it belongs to ("苏州市"); for a province, null; for a municipality, the municipality. */
  city: string | null;
  /** Province-level unit ("江苏省"). */
  province: string;
  provinceCode: string;
  /**
   * The pooling area: the prefecture-level city; each of the four municipalities is one area;
   * 省直辖县级 units (仙桃, 济源, …) and the 兵团 cities are their own area. Null for a whole province.
   */
  poolingArea: { code: string; name: string } | null;
}

export type ResolveResult =
  | { status: 'ok'; region: Region }
  | { status: 'ambiguous'; candidates: Region[] }
  | { status: 'unknown'; suggestions: string[] };

/** A place name found inside free text. */
export interface RegionMention {
  /** Offsets into the text. */
  start: number;
  end: number;
  text: string;
  result: Extract<ResolveResult, { status: 'ok' | 'ambiguous' }>;
}

/** What other modules need from the resolver. */
export interface RegionLookup {
  resolve(name: string): ResolveResult;
  findMentions(text: string): RegionMention[];
  byCode(code: string): Region | undefined;
  /** Every known 6-digit code (provinces, prefectures, counties, districts). */
  knownCodes(): ReadonlySet<string>;
}
