// @kubernetes-models/prometheus-operator is an ES module whose exports only answer `import`: this
// ES module re-exports what the tests use, for Node's require(esm) from the CommonJS tests.
export { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
