import { graphql } from '../gql';

export const FiguresFragment = graphql(`
  fragment AnalyticsFigures on IncidentAnalyticsGroup {
    key
    opened
    resolved
    reopened
    stillOpen
    timeToAcknowledge {
      count
      medianSeconds
      p90Seconds
    }
    timeToMitigate {
      count
      medianSeconds
      p90Seconds
    }
    timeToResolve {
      count
      medianSeconds
      p90Seconds
    }
    slaResponseBreachRate
    slaResolutionBreachRate
    postmortemCoverage
  }
`);

export const TrendFragment = graphql(`
  fragment AnalyticsTrend on IncidentAnalytics {
    groups {
      key
      opened
      timeToAcknowledge {
        medianSeconds
        p90Seconds
      }
      timeToResolve {
        medianSeconds
        p90Seconds
      }
    }
  }
`);

/** Everything the analytics page shows for one window, in one request. */
export const AnalyticsPageQuery = graphql(`
  query AnalyticsPage($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {
    overall: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone) {
      groups {
        ...AnalyticsFigures
      }
      definitions {
        window
        key
        severity
        opened
        resolved
        reopened
        stillOpen
        timeToAcknowledge
        timeToMitigate
        timeToResolve
        durations
        slaResponseBreachRate
        slaResolutionBreachRate
        postmortemCoverage
      }
    }
    byService: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: service) {
      groups {
        ...AnalyticsFigures
      }
    }
    byTeam: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: team) {
      groups {
        ...AnalyticsFigures
      }
    }
    p1: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: week, filter: { severity: [P1] }) {
      ...AnalyticsTrend
    }
    p2: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: week, filter: { severity: [P2] }) {
      ...AnalyticsTrend
    }
    p3: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: week, filter: { severity: [P3] }) {
      ...AnalyticsTrend
    }
    p4: incidentAnalytics(from: $from, to: $to, timeZone: $timeZone, groupBy: week, filter: { severity: [P4] }) {
      ...AnalyticsTrend
    }
    onCallLoad(from: $from, to: $to) {
      people {
        userId
        hoursOnCall
        incidents
        outsideHours
        night
      }
      definitions {
        window
        hoursOnCall
        incidents
        outsideHours
        night
      }
    }
  }
`);
