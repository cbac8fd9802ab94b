// The shape of the API model (api-model.generated.ts), apart from the code that reads it, which
// imports the model.

/** A field of a struct: whether it may be left out, and the library struct its type holds, if any. */
export interface ModelField {
  readonly optional: boolean;
  /** A struct of this library the field holds, alone, in a list or in a map. */
  readonly struct?: string;
  readonly collection?: 'array' | 'map';
}

export interface ModelStruct {
  readonly fields: { readonly [name: string]: ModelField };
  /** aws-cdk-lib structs it extends, whose props are accepted at its top. */
  readonly cdkBases: readonly string[];
}

export interface ModelEntryPoint {
  /** The exported class. */
  readonly type: string;
  /** `constructor`, or the name of a static method. */
  readonly member: string;
  /** `construct` (scope, id, props), `stack` (a Stack's scope, id, props) or `static`. */
  readonly kind: 'construct' | 'stack' | 'static';
  /** The parameters, each with the library struct it takes, if any. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly struct?: string; readonly optional: boolean }>;
}

export interface ApiModel {
  /** The aws-cdk-lib version whose assembly gave `cdkStructs`. */
  readonly cdkVersion: string;
  readonly structs: { readonly [name: string]: ModelStruct };
  /** The props of each aws-cdk-lib struct a library struct extends. */
  readonly cdkStructs: { readonly [fqn: string]: readonly string[] };
  readonly entryPoints: readonly ModelEntryPoint[];
}
