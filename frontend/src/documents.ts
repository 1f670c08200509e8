import { graphql } from './gql';

/** The organization's services, teams and people, for pickers and names. */
export const ListOptionsQuery = graphql(`
  query ListOptions {
    services(limit: 100) {
      items {
        id
        name
      }
    }
    teams(limit: 100) {
      items {
        id
        name
      }
    }
    users(limit: 100) {
      items {
        id
        name
        role
      }
    }
  }
`);

export const ClassifyPreviewQuery = graphql(`
  query ClassifyPreview($input: ClassifyIncidentInput!) {
    classifyIncident(input: $input) {
      severity
      confidence
      reasoning
      suggestedServiceId
      suggestedTeamId
      model
    }
  }
`);
