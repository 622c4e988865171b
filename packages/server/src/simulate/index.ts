export {
  parseScenario,
  draw,
  nextArrival,
  ScenarioError,
  type Scenario,
  type Range,
  type ChannelTraffic,
} from './scenario.ts';
export { simulate, type SimulateOptions, type Summary, type Progress } from './simulator.ts';
