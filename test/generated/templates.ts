/**
 * The synthesized templates of one deployment, nested stacks included, with references followed
 * across stacks: a value passed into a nested stack as a parameter, or out of it as an output,
 * reads the same as in the stack it comes from.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';

export interface Located {
  /** The template: `root`, or `root/<nested stack resource>` and so on. */
  readonly tid: string;
  readonly id: string;
  readonly resource: any;
}

export class Deployed {
  /** Reads the templates of stack `stackName` and of its nested stacks from a cloud assembly. */
  public static read(assembly: CloudAssembly, stackName: string): Deployed {
    const deployed = new Deployed();
    const visit = (tid: string, template: any) => {
      deployed.templates.set(tid, template);
      for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
        const file = resource.Type === 'AWS::CloudFormation::Stack' ? resource.Metadata?.['aws:asset:path'] : undefined;
        if (file) {
          const child = `${tid}/${id}`;
          deployed.parents.set(child, { tid, id });
          deployed.children.set(`${tid}#${id}`, child);
          visit(child, JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf-8')));
        }
      }
    };
    visit('root', assembly.getStackByName(stackName).template);
    return deployed;
  }

  /** Every template, by template id. */
  public readonly templates = new Map<string, any>();
  private readonly parents = new Map<string, { tid: string; id: string }>();
  private readonly children = new Map<string, string>();

  /** Every resource (of `type`), in every template. */
  public resources(type?: string): Located[] {
    const found: Located[] = [];
    for (const [tid, template] of this.templates) {
      for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
        if (type === undefined || resource.Type === type) {
          found.push({ tid, id, resource });
        }
      }
    }
    return found;
  }

  /**
   * `value`, read in template `tid`, with every reference made absolute: `{ Ref: 'tid#id' }` and
   * `{ 'Fn::GetAtt': ['tid#id', attribute] }` name the template they point into, a nested stack's
   * parameter reads as what its parent passes, a nested stack's output as its value, and string
   * joins are flattened.
   */
  public canon(tid: string, value: any): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.canon(tid, v));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const name = value.Ref;
      if (typeof name === 'string' && name.startsWith('AWS::')) {
        return value;
      }
      const template = this.templates.get(tid);
      const parent = this.parents.get(tid);
      if (template?.Parameters?.[name] && parent) {
        const passed = this.templates.get(parent.tid).Resources[parent.id].Properties?.Parameters?.[name];
        if (passed !== undefined) {
          return this.canon(parent.tid, passed);
        }
      }
      return { Ref: `${tid}#${name}` };
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = value['Fn::GetAtt'];
      const child = this.children.get(`${tid}#${id}`);
      if (child && typeof attribute === 'string' && attribute.startsWith('Outputs.')) {
        const output = this.templates.get(child).Outputs?.[attribute.slice('Outputs.'.length)];
        if (output) {
          return this.canon(child, output.Value);
        }
      }
      return { 'Fn::GetAtt': [`${tid}#${id}`, attribute] };
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [delimiter, parts] = value['Fn::Join'];
      const canonParts = (parts as any[]).map((p) => this.canon(tid, p));
      if (delimiter !== '') {
        return { 'Fn::Join': [delimiter, canonParts] };
      }
      const flat: any[] = [];
      for (const part of canonParts.flatMap((p) => p?.['Fn::Join']?.[0] === '' ? p['Fn::Join'][1] : [p])) {
        if (typeof part === 'string' && typeof flat[flat.length - 1] === 'string') {
          flat[flat.length - 1] += part;
        } else if (part !== '') {
          flat.push(part);
        }
      }
      if (flat.length === 0) {
        return '';
      }
      return flat.length === 1 ? flat[0] : { 'Fn::Join': ['', flat] };
    }
    return Object.fromEntries(keys.map((k) => [k, this.canon(tid, value[k])]));
  }

  /** `canon` as a string, to compare and to use as a key. */
  public key(tid: string, value: any): string {
    return JSON.stringify(this.canon(tid, value));
  }

  /** The resource an absolute reference (from `canon`) points at. */
  public resolve(reference: any): Located | undefined {
    const target: unknown = reference?.Ref ?? reference?.['Fn::GetAtt']?.[0];
    if (typeof target !== 'string' || !target.includes('#')) {
      return undefined;
    }
    const [tid, id] = target.split('#');
    const resource = this.templates.get(tid)?.Resources?.[id];
    return resource ? { tid, id, resource } : undefined;
  }

  /** Whether a template is a nested one. */
  public isNested(tid: string): boolean {
    return this.parents.has(tid);
  }
}

/** The absolute form of a reference to a parameter of the root stack. */
export function rootParameter(logicalId: string): { Ref: string } {
  return { Ref: `root#${logicalId}` };
}
