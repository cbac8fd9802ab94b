// The shape of the API model (api-model.generated.ts), apart from the code that reads it, which
// imports the model.

/**
 * A type as jsii records it: a primitive, an enum, a class or interface (`ref`), a struct of this
 * library (by name) or of aws-cdk-lib (by fqn), a list or map of one of these, or a union. What an
 * enum, a reference or an aws-cdk-lib struct holds is in `ApiModel.types`, once per fqn.
 */
export type ModelType =
  | { readonly primitive: 'string' | 'number' | 'boolean' | 'date' | 'json' | 'any' }
  | { readonly enum: string }
  | { readonly ref: string }
  | { readonly struct: string }
  | { readonly cdkStruct: string }
  | { readonly array: ModelType }
  | { readonly map: ModelType }
  | { readonly union: readonly ModelType[] };

/** What the model knows of a type `ModelType` names by fqn. */
export type ModelTypeInfo =
  /** An enum; a library enum's values, an aws-cdk-lib enum's are read from the aws-cdk-lib in use. */
  | { readonly kind: 'enum'; readonly values?: ReadonlyArray<string | number> }
  /** A class or interface, with a few members an object offering it has (`name` a method, `name:type` a property). */
  | { readonly kind: 'ref'; readonly members: readonly string[] }
  /** An aws-cdk-lib struct, with the types of its props (inherited ones included). */
  | { readonly kind: 'struct'; readonly fields: { readonly [name: string]: { readonly optional: boolean; readonly type: ModelType } } };

/** A field of a struct: whether it may be left out, and its type. */
export interface ModelField {
  readonly optional: boolean;
  readonly type: ModelType;
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
  /** The enums, classes, interfaces and aws-cdk-lib structs the fields' types name, by fqn. */
  readonly types: { readonly [fqn: string]: ModelTypeInfo };
  readonly entryPoints: readonly ModelEntryPoint[];
}
