// Saved dashboards and network drawings, versioned like saved reports: one key constraint per label.
CREATE CONSTRAINT dashboard_key IF NOT EXISTS FOR (n:Dashboard) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT dashboardversion_key IF NOT EXISTS FOR (n:DashboardVersion) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT scene_key IF NOT EXISTS FOR (n:Scene) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT sceneversion_key IF NOT EXISTS FOR (n:SceneVersion) REQUIRE n.key IS UNIQUE;
