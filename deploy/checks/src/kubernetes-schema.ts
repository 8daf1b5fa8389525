import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import type { KubeObject } from './kustomize';

interface ValidatingModel {
  validate(): void;
}

// Every kind the manifests use; an object of any other kind fails until its model is added here, so nothing
// reaches a cluster unvalidated.
const MODELS: Record<string, (object: KubeObject) => ValidatingModel> = {
  'v1/Namespace': (object) => new Namespace(object as never),
  'v1/ConfigMap': (object) => new ConfigMap(object as never),
  'v1/Service': (object) => new Service(object as never),
  'apps/v1/Deployment': (object) => new Deployment(object as never),
  'batch/v1/Job': (object) => new Job(object as never),
  'policy/v1/PodDisruptionBudget': (object) => new PodDisruptionBudget(object as never),
  'networking.k8s.io/v1/NetworkPolicy': (object) => new NetworkPolicy(object as never),
};

/** Validates an object against the Kubernetes OpenAPI schema of its kind; returns the problems. */
export function schemaProblems(object: KubeObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  const where = `${object.kind} ${object.metadata?.name}`;
  if (!model) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    model(object).validate();
    return [];
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
}
